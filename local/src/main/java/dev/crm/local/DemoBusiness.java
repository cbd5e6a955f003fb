package dev.crm.local;

import dev.crm.shared.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * {@code --demo}: the demo tenant as a living business, seeded through the product's own API (in
 * process, through the runner's API Gateway, with the demo tenant's admin key) and its bulk paths:
 * contacts by the CSV import while the runner's clock still reads twelve weeks back (they were there
 * then); then, with the clock at the real now, five imports side by side, each line carrying its own
 * past instant: purchase histories (touch point import), service history (case import), twelve weeks
 * of NPS and CSAT responses (response imports) and consent changes (consent import); then a churn run.
 * Deterministic: one seeded {@link Random}, and names, zones, scores, consent and cases drawn from it in
 * a fixed order before anything runs side by side (ids and instants differ per run).
 *
 * <p>The purchase histories are the CDNOW sample's (resource {@code demo/cdnow-sample.txt.gz}) under
 * generated names, shifted so the sample's last day is today.
  */
final class DemoBusiness {
    /** How much to seed: the full demo, or a small one with the same shape for the test. */
    record Size(int contacts, int histories, int npsPerWeek, int csatPerWeek, int consentChanges, int cases) {
        static final Size FULL = new Size(2000, 1200, 40, 25, 300, 120);
        static final Size SMALL = new Size(60, 40, 5, 3, 15, 8);
    }

    /** What was seeded, counted from the answers of the API. */
    record Seeded(int contacts, int purchases, int responses, int consentChanges, int cases, long openAlerts,
            String readKey, String npsSurveyId, String csatSurveyId, Duration took, Map<String, Duration> phases) {}

    static final long SEED = 19_970_101L;
    static final int WEEKS = 12;
    /** The last day of the CDNOW sample; it becomes today. */
    private static final LocalDate SAMPLE_END = LocalDate.of(1998, 6, 30);

    private static final String[] FIRST = {"Emma", "Liam", "Olivia", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia",
        "Mateo", "Amelia", "Leon", "Hannah", "Finn", "Lea", "Paul", "Clara", "Jonas", "Marie", "Felix", "Chloé", "Hugo",
        "Inès", "Louis", "Giulia", "Marco", "Sofia", "Luca", "Lucía", "Pablo", "Aiko", "Haruto", "Priya", "Arjun",
        "Zara", "Omar", "Freya", "Oscar", "Ingrid", "Lars", "Maja", "Jakub", "Zoe", "Samuel", "Grace", "Daniel",
        "Nora", "Elias", "Ida", "Theo"};
    private static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Martin", "Bernard", "Dubois", "Moreau", "Rossi",
        "Russo", "Bianchi", "Fernández", "López", "Martínez", "Sato", "Suzuki", "Patel", "Sharma", "Khan", "Nielsen",
        "Hansen", "Johansson", "Andersson", "Nowak", "Kowalski", "O'Brien", "Murphy", "Kelly", "Wilson", "Taylor",
        "Clarke", "Walker", "Wright", "Hall", "Young", "King", "Scott", "Green", "Baker", "Adams", "Nelson"};
    private static final String[][] ZONES = {{"Europe/London", "en-GB"}, {"Europe/Berlin", "de-DE"},
        {"Europe/Paris", "fr-FR"}, {"Europe/Madrid", "es-ES"}, {"Europe/Rome", "it-IT"}, {"America/New_York", "en-US"},
        {"America/Chicago", "en-US"}, {"America/Los_Angeles", "en-US"}, {"Asia/Tokyo", "ja-JP"},
        {"Australia/Sydney", "en-AU"}, {"Europe/Stockholm", "sv-SE"}, {"Asia/Kolkata", "en-IN"}};
    private static final String[] COMPANIES = {"Northwind Traders", "Blue Harbor Studio", "Alpine Analytics",
        "Greenleaf Cafés", "Summit Dental", "Riverside Books", "Brightline Logistics", "Oak & Iron"};
    private static final String[] CATEGORIES = {"delivery", "billing", "returns", "product"};
    private static final String[] SUBJECTS_DELIVERY = {"Parcel has not arrived", "Tracking shows no movement",
        "Delivered to the wrong address", "Box arrived damaged"};
    private static final String[] SUBJECTS_BILLING = {"Charged twice", "Invoice needs our VAT number",
        "Refund not received yet", "Discount code not applied"};
    private static final String[] SUBJECTS_RETURNS = {"How do I return an album?", "Return label does not print",
        "Exchange for another edition"};
    private static final String[] SUBJECTS_PRODUCT = {"Disc skips on track 4", "Missing booklet",
        "Is the remaster on vinyl too?"};
    private static final String[] PROMOTER_WHY = {"Fast delivery and great selection", "Always find what I look for",
        "Friendly support", "Great prices on box sets", ""};
    private static final String[] DETRACTOR_WHY = {"Delivery took two weeks", "Support never answered my email",
        "The site is slow", "Too expensive", ""};

    private final ApiGateway gateway;
    private final MovableClock clock;
    private final StreamPump streams;
    private final String adminKey;
    private final Size size;
    private final Random random = new Random(SEED);

    DemoBusiness(ApiGateway gateway, MovableClock clock, StreamPump streams, String adminKey, Size size) {
        this.gateway = gateway;
        this.clock = clock;
        this.streams = streams;
        this.adminKey = adminKey;
        this.size = size;
    }

    /** How far back the runner's clock starts when it seeds a demo: the survey weeks plus a day. */
    static Duration lookBack() {
        return Duration.ofDays(WEEKS * 7L + 1);
    }

    /**
     * Seeds the business. The clock must read {@link #lookBack()} before {@code realNow} (the runner
     * started it there); it reads {@code realNow} (and ticks on) when this returns.
     */
    Seeded seed(Instant realNow) throws InterruptedException {
        long started = System.nanoTime();
        Phases phases = new Phases();
        settings();
        List<String> topics = List.of("newsletter", "offers", "new-releases");
        created(call("POST", "/v1/topics", adminKey, "{\"key\": \"newsletter\", \"name\": \"Newsletter\","
                + " \"description\": \"New music and stories, once a month\"}"));
        created(call("POST", "/v1/topics", adminKey, "{\"key\": \"offers\", \"name\": \"Offers\","
                + " \"description\": \"Sales and discount codes\"}"));
        created(call("POST", "/v1/topics", adminKey, "{\"key\": \"new-releases\", \"name\": \"New releases\","
                + " \"description\": \"Albums of the artists you bought\"}"));
        String readKey = (String) created(call("POST", "/v1/tenant/keys", adminKey,
                "{\"scope\": \"read\", \"name\": \"dashboard\"}")).get("apiKey");
        String nps = (String) created(call("POST", "/v1/surveys", adminKey, "{\"kind\": \"nps\", \"title\": \"How are we doing?\","
                + " \"rateLimit\": {\"perClientPerMinute\": 10000}, \"questions\": ["
                + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"How likely are you to recommend Demo Company to a friend?\"},"
                + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"What is the main reason for your score?\", \"maxLength\": 500}]}"))
                .get("id");
        String csat = (String) created(call("POST", "/v1/surveys", adminKey, "{\"kind\": \"csat\", \"title\": \"Your last delivery\","
                + " \"rateLimit\": {\"perClientPerMinute\": 10000}}")).get("id");

        // contacts: the CDNOW customers (externalId cdnow-N) first, then people who never bought; they
        // were there twelve weeks ago (the clock still reads then)
        List<Integer> customers = new ArrayList<>(histories().keySet()).subList(0, Math.min(size.histories(), histories().size()));
        int contacts = Math.max(size.contacts(), customers.size());
        phases.done("setup");
        finished(call("POST", "/v1/contacts/imports", adminKey, "text/csv", contactsCsv(customers, contacts), Map.of()));
        List<String> ids = contactIds();
        clock.catchUp();
        phases.done("contacts");

        // The rest is history the imports take with its own instants, so the clock stays at now and the
        // five imports (four functions' jobs) run side by side; all drawn first, in a fixed order.
        TwelveWeeks weeks = twelveWeeks(realNow, ids, topics);
        String caseLines = caseHistories(ids);
        long importsStarted = System.nanoTime();
        ExecutorService imports = Executors.newFixedThreadPool(5);
        int purchases;
        int cases;
        int responses;
        int consents;
        try {
            Future<Integer> purchasesDone = imports.submit(timed(phases, "purchases", importsStarted, () -> importHistories(customers)));
            Future<Integer> casesDone = imports.submit(timed(phases, "cases", importsStarted, () -> importCases(caseLines)));
            Future<Integer> npsDone = imports.submit(timed(phases, "nps", importsStarted, () -> importResponses(nps, weeks.nps())));
            Future<Integer> csatDone = imports.submit(timed(phases, "csat", importsStarted, () -> importResponses(csat, weeks.csat())));
            Future<Integer> consentDone = imports.submit(timed(phases, "consent", importsStarted, () -> importConsent(weeks.consent())));
            purchases = purchasesDone.get();
            cases = casesDone.get();
            responses = npsDone.get() + csatDone.get();
            consents = consentDone.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("seeding the demo failed", e.getCause());
        } finally {
            imports.shutdownNow();
        }
        phases.done("imports");
        // the churn run scores the purchase histories and links the open cases of alerting contacts
        Map<String, Object> run = finished(call("POST", "/v1/churn-runs", adminKey, "{}"));
        phases.done("churn run");
        streams.awaitQuiet(Duration.ofSeconds(60));
        phases.done("stream drained");
        long alerts = ((Number) ((Map<?, ?>) run.get("result")).get("alerts")).longValue();
        return new Seeded(ids.size(), purchases, responses, consents, cases, alerts, readKey, nps, csat,
                Duration.ofNanos(System.nanoTime() - started), phases.took);
    }

    /** An import of the side-by-side block, its time from the block's start noted under {@code name} (" (in imports)"). */
    private static java.util.concurrent.Callable<Integer> timed(Phases phases, String name, long blockStarted,
            java.util.concurrent.Callable<Integer> work) {
        return () -> {
            int n = work.call();
            phases.took.put(name + " (in imports)", Duration.ofNanos(System.nanoTime() - blockStarted));
            return n;
        };
    }

    /** How long each phase of the seeding took, in order (the banner shows them: where the seconds go). */
    private static final class Phases {
        final Map<String, Duration> took = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        private long since = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            took.put(phase, Duration.ofNanos(now - since));
            since = now;
        }
    }

    private void settings() {
        var tenant = call("GET", "/v1/tenant", adminKey, null);
        String etag = tenant.headers().get("ETag");
        var r = call("PATCH", "/v1/tenant/settings", adminKey, "application/merge-patch+json", """
                {"defaultTimeZone": "Europe/London", "defaultCurrency": "USD",
                 "caseCategories": [{"key": "delivery", "name": "Delivery"}, {"key": "billing", "name": "Billing"},
                   {"key": "returns", "name": "Returns"}, {"key": "product", "name": "Product"}],
                 "retention": {"valueThreshold": {"amount": "40"}}}""", Map.of("If-Match", etag == null ? "\"1\"" : etag));
        ok(r, 200);
    }

    // ---- contacts ----

    private String contactsCsv(List<Integer> customers, int contacts) {
        StringBuilder csv = new StringBuilder("externalId,firstName,lastName,email,phone,company,locale,timeZone,lifecycleStage,tags\n");
        for (int i = 0; i < contacts; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String[] zone = ZONES[random.nextInt(ZONES.length)];
            boolean customer = i < customers.size();
            String external = customer ? "cdnow-" + customers.get(i) : "";
            String email = ascii(first) + "." + ascii(last) + "." + (i + 1) + "@example.com";
            String phone = random.nextInt(3) == 0 ? "+4420" + String.format("%08d", random.nextInt(100_000_000)) : "";
            String company = random.nextInt(6) == 0 ? COMPANIES[random.nextInt(COMPANIES.length)] : "";
            String stage = customer ? "customer" : random.nextInt(3) == 0 ? "subscriber" : "lead";
            String tags = customer ? (random.nextInt(4) == 0 ? "vinyl;jazz" : "cd") : random.nextBoolean() ? "newsletter-form" : "";
            csv.append(String.join(",", external, csvField(first), csvField(last), email, phone, company, zone[1], zone[0], stage, tags))
                    .append('\n');
        }
        return csv.toString();
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** The imported contacts' ids, in the list's order (stable for a seeded import). */
    @SuppressWarnings("unchecked")
    private List<String> contactIds() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var r = call("GET", "/v1/contacts", "limit=200" + (cursor == null ? "" : "&cursor=" + cursor), adminKey, null, null, Map.of());
            Map<String, Object> page = ok(r, 200);
            for (Object o : (List<Object>) page.get("items")) {
                ids.add((String) ((Map<String, Object>) o).get("id"));
            }
            cursor = (String) page.get("nextCursor");
            if (cursor != null) {
                cursor = java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            }
        } while (cursor != null);
        java.util.Collections.sort(ids);
        return ids;
    }

    // ---- twelve weeks of surveys and consent ----

    /** One imported line with the instant it carries: a survey response's or a consent change's. */
    record Dated(Instant at, String line) {}

    /** The twelve weeks as the imports take them: each survey's responses and the consent changes, each dated. */
    record TwelveWeeks(List<Dated> nps, List<Dated> csat, List<Dated> consent) {}

    /**
     * Draws the twelve weeks (scores, reasons, who changes consent and when) from the seeded random, in
     * a fixed order: the dashboard's twelve ISO weeks, from the Monday eleven weeks before this week's to
     * now, with fewer responses at weekends and a trend (service got better).
     */
    private TwelveWeeks twelveWeeks(Instant realNow, List<String> ids, List<String> topics) {
        LocalDate today = LocalDate.ofInstant(realNow, ZoneOffset.UTC);
        LocalDate monday = today.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).minusWeeks(WEEKS - 1);
        Instant first = monday.atStartOfDay(ZoneOffset.UTC).toInstant();
        int days = (int) (today.toEpochDay() - monday.toEpochDay()) + 1;
        // consent changes land on random days, each contact at most once
        List<String> consenting = new ArrayList<>(ids);
        java.util.Collections.shuffle(consenting, random);
        consenting = consenting.subList(0, Math.min(size.consentChanges(), consenting.size()));
        Map<Integer, List<String>> consentByDay = new TreeMap<>();
        for (String id : consenting) {
            consentByDay.computeIfAbsent(random.nextInt(days), d -> new ArrayList<>()).add(id);
        }
        Instant latest = realNow.minus(Duration.ofMinutes(1));
        List<Dated> nps = new ArrayList<>();
        List<Dated> csat = new ArrayList<>();
        List<Dated> consent = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            Instant dayStart = first.plus(Duration.ofDays(day));
            // the day's answers come in a few minutes apart from some time in its office hours on
            Instant opens = dayStart.plus(Duration.ofMinutes(8 * 60 + random.nextInt(10 * 60)));
            double progress = day / (double) days;
            int n = 0;
            int npsToday = perDay(size.npsPerWeek(), day);
            for (int i = 0; i < npsToday; i++) {
                int score = npsScore(progress);
                String why = score >= 9 ? PROMOTER_WHY[random.nextInt(PROMOTER_WHY.length)]
                        : score <= 6 ? DETRACTOR_WHY[random.nextInt(DETRACTOR_WHY.length)] : "";
                Instant at = notAfter(opens.plus(Duration.ofMinutes(3L * n++)), latest, dayStart);
                nps.add(new Dated(at, "{\"answers\": {\"score\": " + score + (why.isEmpty() ? "" : ", \"why\": " + Json.write(why))
                        + "}, \"submittedAt\": \"" + at + "\"}"));
            }
            int csatToday = perDay(size.csatPerWeek(), day);
            for (int i = 0; i < csatToday; i++) {
                Instant at = notAfter(opens.plus(Duration.ofMinutes(3L * n++)), latest, dayStart);
                csat.add(new Dated(at, "{\"answers\": {\"score\": " + csatScore(progress) + "}, \"submittedAt\": \"" + at + "\"}"));
            }
            for (String id : consentByDay.getOrDefault(day, List.of())) {
                Instant at = notAfter(opens.plus(Duration.ofMinutes(3L * n++)), latest, dayStart);
                consent.add(new Dated(at, "{\"contactId\": \"" + id + "\", \"at\": \"" + at + "\", \"preferences\": "
                        + consent(topics) + "}"));
            }
        }
        return new TwelveWeeks(nps, csat, consent);
    }

    /** Today, before its office hours: the answers so far came in the night. */
    private static Instant notAfter(Instant at, Instant latest, Instant dayStart) {
        return at.isAfter(latest) ? (latest.isAfter(dayStart) ? latest : dayStart) : at;
    }

    /** A survey's twelve weeks of responses by its response import (history: they announce nothing). */
    private int importResponses(String survey, List<Dated> responses) {
        StringBuilder ndjson = new StringBuilder();
        responses.forEach(r -> ndjson.append(r.line()).append('\n'));
        Map<String, Object> job = finished(call("POST", "/v1/surveys/" + survey + "/responses/imports", adminKey,
                "application/x-ndjson", ndjson.toString(), Map.of()));
        return imported(job, responses.size(), "survey response");
    }

    /** The consent changes of the twelve weeks by the consent import, each at its instant (history: no events). */
    private int importConsent(List<Dated> changes) {
        StringBuilder ndjson = new StringBuilder();
        changes.forEach(c -> ndjson.append(c.line()).append('\n'));
        Map<String, Object> job = finished(call("POST", "/v1/preferences/imports", adminKey, "application/x-ndjson",
                ndjson.toString(), Map.of()));
        return imported(job, changes.size(), "consent");
    }

    /** The lines a finished import took; the demo's lines are all valid, so a rejected one is a failure. */
    private static int imported(Map<String, Object> job, int lines, String what) {
        Object imported = ((Map<?, ?>) job.get("result")).get("imported");
        if (((Number) imported).intValue() != lines) {
            throw new IllegalStateException("the demo's " + what + " import rejected lines: " + job.get("result"));
        }
        return lines;
    }

    /** A week's responses spread over its days, fewer at weekends. */
    private int perDay(int perWeek, int day) {
        double mean = perWeek / 7.0 * (day % 7 >= 5 ? 0.6 : 1.16);
        int n = (int) Math.floor(mean);
        n += random.nextDouble() < mean - n ? 1 : 0;
        return day % 7 < 5 ? Math.max(1, n) : n; // day 0 is a Monday: every weekday has a response
    }

    private int npsScore(double progress) {
        double detractor = 0.32 - 0.16 * progress;
        double promoter = 0.38 + 0.22 * progress;
        double u = random.nextDouble();
        if (u < detractor) {
            return random.nextInt(7); // 0..6
        }
        if (u < detractor + (1 - detractor - promoter)) {
            return 7 + random.nextInt(2);
        }
        return 9 + random.nextInt(2);
    }

    private int csatScore(double progress) {
        double satisfied = 0.62 + 0.2 * progress;
        return random.nextDouble() < satisfied ? 4 + random.nextInt(2) : 1 + random.nextInt(3);
    }

    private String consent(List<String> topics) {
        int kind = random.nextInt(10);
        if (kind < 6) {
            // opted in to email, most topics
            StringBuilder t = new StringBuilder();
            for (String topic : topics) {
                t.append(t.length() == 0 ? "" : ", ").append('"').append(topic).append("\": \"")
                        .append(random.nextInt(4) == 0 ? "opted_out" : "opted_in").append('"');
            }
            return "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + t + "}}"
                    + (random.nextInt(3) == 0 ? ", \"sms\": {\"status\": \"opted_in\"}" : "")
                    + "}, \"legalBasis\": \"consent\", \"source\": \"web-form\"}";
        }
        if (kind < 9) {
            return "{\"channels\": {\"email\": {\"status\": \"opted_out\"}}, \"legalBasis\": \"consent\", \"source\": \"unsubscribe-link\"}";
        }
        return "{\"channels\": {\"email\": {\"status\": \"opted_in\"}, \"sms\": {\"status\": \"opted_out\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}";
    }

    // ---- purchases, cases ----

    /** Every customer's purchases by the touch point import, the sample's last day moved to today. */
    private int importHistories(List<Integer> customers) {
        Map<Integer, List<String[]>> all = histories();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        long shift = today.toEpochDay() - SAMPLE_END.toEpochDay();
        StringBuilder ndjson = new StringBuilder();
        int lines = 0;
        for (int customer : customers) {
            for (String[] p : all.get(customer)) {
                LocalDate day = LocalDate.parse(p[0], DateTimeFormatter.BASIC_ISO_DATE).plusDays(shift);
                int minute = Math.floorMod(customer * 37 + day.getDayOfYear() * 11, 600);
                String at = day.atStartOfDay().plusMinutes(9 * 60 + minute).toInstant(ZoneOffset.UTC).toString();
                if (Instant.parse(at).isAfter(clock.instant())) {
                    at = day.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
                }
                ndjson.append("{\"contact\": {\"externalId\": \"cdnow-").append(customer).append("\"}, \"type\": \"purchase\",")
                        .append(" \"occurredAt\": \"").append(at).append("\", \"value\": {\"amount\": \"").append(p[1]).append("\"}}\n");
                lines++;
            }
        }
        Map<String, Object> job = finished(call("POST", "/v1/interactions/imports", adminKey, "application/x-ndjson", ndjson.toString(), Map.of()));
        Object imported = ((Map<?, ?>) job.get("result")).get("imported");
        if (((Number) imported).intValue() != lines) {
            throw new IllegalStateException("the demo's purchase import rejected lines: " + job.get("result"));
        }
        return lines;
    }

    /** Cases of the last six weeks, as the case history import takes them: most answered and solved, some late, some open. */
    private String caseHistories(List<String> ids) {
        Instant now = clock.instant();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < size.cases(); i++) {
            String contact = ids.get(random.nextInt(ids.size()));
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            String[] subjects = switch (category) {
                case "delivery" -> SUBJECTS_DELIVERY;
                case "billing" -> SUBJECTS_BILLING;
                case "returns" -> SUBJECTS_RETURNS;
                default -> SUBJECTS_PRODUCT;
            };
            String priority = new String[] {"low", "normal", "normal", "normal", "high", "urgent"}[random.nextInt(6)];
            String channel = new String[] {"email", "email", "web", "phone", "chat"}[random.nextInt(5)];
            // newer cases are more often still open; the last ones arrived today
            double age = (size.cases() - i) / (double) size.cases();
            Instant created = now.minus(Duration.ofMinutes((long) (age * 42 * 24 * 60))).minus(Duration.ofMinutes(30));
            List<String> messages = new ArrayList<>();
            List<String> changes = new ArrayList<>();
            messages.add(message("customer", "public", subjects[random.nextInt(subjects.length)] + ". Order " + (40_000 + i) + ".", created));
            int shape = random.nextInt(10);
            if (age > 0.08 && shape < 8) {
                // answered: quickly, or late for a few (the SLA history shows breaches)
                long answerAfter = shape < 6 ? 20 + random.nextInt(200) : 60 * 30 + random.nextInt(60 * 24);
                Instant answered = min(created.plus(Duration.ofMinutes(answerAfter)), now.minus(Duration.ofMinutes(5)));
                messages.add(message("agent", "public", "Thanks for telling us. We are on it and will update you shortly.", answered));
                changes.add(change("open", answered));
                if (shape < 7 && age > 0.15) {
                    Instant solved = min(answered.plus(Duration.ofMinutes(60 + random.nextInt(60 * 48))), now.minus(Duration.ofMinutes(1)));
                    changes.add(change("solved", solved));
                }
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("contactId", contact);
            line.put("channel", channel);
            line.put("category", category);
            line.put("priority", priority);
            line.put("subject", subjects[random.nextInt(subjects.length)]);
            line.put("createdAt", created.toString());
            ndjson.append(Json.write(line), 0, Json.write(line).length() - 1)
                    .append(", \"messages\": [").append(String.join(", ", messages)).append("]")
                    .append(", \"statusChanges\": [").append(String.join(", ", changes)).append("]}\n");
        }
        return ndjson.toString();
    }

    /** The cases by the case history import. */
    private int importCases(String ndjson) {
        Map<String, Object> job = finished(call("POST", "/v1/cases/imports", adminKey, "application/x-ndjson", ndjson, Map.of()));
        Object imported = ((Map<?, ?>) job.get("result")).get("imported");
        if (((Number) imported).intValue() != size.cases()) {
            throw new IllegalStateException("the demo's case import rejected lines: " + job.get("result"));
        }
        return size.cases();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String message(String author, String visibility, String body, Instant at) {
        return "{\"author\": \"" + author + "\", \"visibility\": \"" + visibility + "\", \"body\": " + Json.write(body)
                + ", \"at\": \"" + at + "\"}";
    }

    private static String change(String status, Instant at) {
        return "{\"status\": \"" + status + "\", \"at\": \"" + at + "\"}";
    }

    // ---- the sample ----

    private Map<Integer, List<String[]>> histories;

    /** The CDNOW purchases by customer, in the sample's order: {@code [yyyymmdd, dollars]}. */
    private Map<Integer, List<String[]>> histories() {
        if (histories != null) {
            return histories;
        }
        Map<Integer, List<String[]>> out = new LinkedHashMap<>();
        try (InputStream in = DemoBusiness.class.getResourceAsStream("/demo/cdnow-sample.txt.gz")) {
            if (in == null) {
                throw new IllegalStateException("the demo's purchase histories are missing from the runner (demo/cdnow-sample.txt.gz)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.trim().split(" ");
                if (f.length == 3) {
                    out.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(new String[] {f[1], f[2]});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        histories = out;
        return out;
    }

    // ---- calls through the runner's gateway ----

    private ApiGateway.HttpResult call(String method, String path, String key, String json) {
        return call(method, path, key, json == null ? null : "application/json", json, Map.of());
    }

    private ApiGateway.HttpResult call(String method, String path, String key, String contentType, String body,
            Map<String, String> extra) {
        return call(method, path, null, key, contentType, body, extra);
    }

    private ApiGateway.HttpResult call(String method, String path, String query, String key, String contentType, String body,
            Map<String, String> extra) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Authorization", List.of("Bearer " + key));
        if (contentType != null) {
            headers.put("Content-Type", List.of(contentType));
        }
        extra.forEach((k, v) -> headers.put(k, List.of(v)));
        return gateway.handle(new ApiGateway.HttpCall(method, path, query, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
    }

    private static Map<String, Object> created(ApiGateway.HttpResult r) {
        return ok(r, 201);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ok(ApiGateway.HttpResult r, int status) {
        if (r.status() != status) {
            // the body is the product's problem document: no personal data of the generated people
            throw new IllegalStateException("seeding the demo failed: " + r.status() + " " + r.body());
        }
        return (Map<String, Object>) Json.parse(r.body());
    }

    /**
     * Waits for the job a 202 started and answers it once it succeeded; gives up when it made no
     * progress for 5 minutes (a busy machine slows a job down, a stuck one stops).
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> finished(ApiGateway.HttpResult started) {
        Map<String, Object> job = ok(started, 202);
        String location = started.headers().get("Location");
        Object progress = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            job = ok(call("GET", location, adminKey, null), 200);
            if ("succeeded".equals(job.get("status"))) {
                return job;
            }
            if ("failed".equals(job.get("status"))) {
                throw new IllegalStateException("a demo job failed: " + job);
            }
            Object now = job.get("status") + " " + job.get("done") + " " + job.get("updatedAt");
            if (!now.equals(progress)) {
                progress = now;
                deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            }
            try {
                // each look is a request (authorizer, job read) competing with the job itself
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while seeding the demo", e);
            }
        }
        throw new IllegalStateException("a demo job made no progress in 5 minutes: " + job);
    }
}
