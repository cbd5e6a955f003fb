package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.tenant.TenantId;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The recount's walk and its compare-and-repair, over an in-memory stand-in for the store. */
class SurveyRecountTest {
    static final TenantId T = Fixtures.TENANT;
    final StoredSurvey survey = new StoredSurvey(Fixtures.survey("{'kind': 'nps', 'title': 'T'}"), ZoneId.of("UTC"));

    /** Counters and raw answers per (shard, day); repairs fail while {@code busy} is positive. */
    final Map<Integer, TreeMap<LocalDate, ScoreCounts>> counters = new HashMap<>();
    final Map<Integer, TreeMap<LocalDate, List<Map<String, Object>>>> answers = new HashMap<>();
    final Map<String, Long> writes = new HashMap<>();
    int busy;
    final List<Map<String, Long>> repairs = new ArrayList<>();

    final SurveyRepository store = (SurveyRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SurveyRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                case "nextDay" -> {
                    int shard = (Integer) args[2];
                    LocalDate from = (LocalDate) args[3];
                    TreeMap<LocalDate, Object> days = new TreeMap<>();
                    counters.getOrDefault(shard, new TreeMap<>()).keySet().forEach(d -> days.put(d, d));
                    answers.getOrDefault(shard, new TreeMap<>()).keySet().forEach(d -> days.put(d, d));
                    yield from == null ? (days.isEmpty() ? null : days.firstKey()) : days.ceilingKey(from);
                }
                case "counters" -> {
                    ScoreCounts c = counters.getOrDefault((Integer) args[2], new TreeMap<>()).get((LocalDate) args[3]);
                    yield new SurveyRepository.CounterSnapshot(c != null, writes.getOrDefault(args[2] + "/" + args[3], 0L),
                            c == null ? ScoreCounts.EMPTY : c);
                }
                case "answersOn" -> answers.getOrDefault((Integer) args[2], new TreeMap<>()).getOrDefault((LocalDate) args[3], List.of());
                case "repair" -> {
                    if (busy > 0) {
                        busy--;
                        yield false;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Long> deltas = (Map<String, Long>) args[5];
                    repairs.add(deltas);
                    ScoreCounts c = counters.get((Integer) args[2]).getOrDefault((LocalDate) args[3], ScoreCounts.EMPTY);
                    counters.get((Integer) args[2]).put((LocalDate) args[3], c.plus(ScoreCounts.fromCounters(deltas)));
                    yield true;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

    void respond(int shard, String day, long score, boolean counted) {
        LocalDate d = LocalDate.parse(day);
        answers.computeIfAbsent(shard, k -> new TreeMap<>()).computeIfAbsent(d, k -> new ArrayList<>()).add(Map.of("score", score));
        TreeMap<LocalDate, ScoreCounts> c = counters.computeIfAbsent(shard, k -> new TreeMap<>());
        if (counted) {
            c.merge(d, ScoreCounts.ofResponse(survey.survey(), Map.of("score", score)), ScoreCounts::plus);
        }
    }

    SurveyRecount.Progress runToEnd(int perStep) {
        SurveyRecount recount = new SurveyRecount(store);
        SurveyRecount.Progress p = new SurveyRecount.Progress(SurveyRecount.Cursor.START, SurveyRecount.Findings.NONE);
        int steps = 0;
        do {
            // through the checkpoint's JSON form, as the worker resumes
            p = recount.step(T, survey, SurveyRecount.Cursor.fromJson(p.next().toJson()),
                    SurveyRecount.Findings.fromJson(p.findings().toJson()), perStep);
            steps++;
        } while (!p.next().finished() && steps < 1000);
        return p;
    }

    @Test
    void countersThatMatchAreLeftAlone() {
        respond(0, "2026-11-01", 9, true);
        respond(0, "2026-11-03", 3, true);
        respond(7, "2026-11-02", 10, true);
        SurveyRecount.Progress p = runToEnd(1);
        assertEquals(3, p.findings().itemsChecked());
        assertEquals(0, p.findings().differences());
        assertEquals(List.of(), repairs);
    }

    @Test
    void aMissingCountAndACountWithoutAResponseAreBothRepairedAndListed() {
        respond(2, "2026-11-01", 9, true);
        respond(2, "2026-11-01", 8, false);
        counters.computeIfAbsent(4, k -> new TreeMap<>()).put(LocalDate.parse("2026-10-30"),
                ScoreCounts.ofResponse(survey.survey(), Map.of("score", 1L)));
        SurveyRecount.Progress p = runToEnd(50);
        assertEquals(2, p.findings().itemsChecked());
        assertEquals(4, p.findings().differences(), p.findings().listed().toString());
        assertTrue(p.findings().listed().contains(Map.of("day", "2026-11-01", "shard", 2L, "counter", "score:8",
                "expected", 1L, "found", 0L)));
        assertTrue(p.findings().listed().contains(Map.of("day", "2026-10-30", "shard", 4L, "counter", "responses",
                "expected", 0L, "found", 1L)));
        assertEquals(ScoreCounts.EMPTY, counters.get(4).get(LocalDate.parse("2026-10-30")));
        assertEquals(0, runToEnd(50).findings().differences(), "a second run finds nothing");
    }

    @Test
    void countersThatKeepChangingUnderTheRecountAreLeftForTheNextRun() {
        respond(1, "2026-11-01", 9, false);
        busy = SurveyRecount.MAX_ATTEMPTS;
        SurveyRecount.Progress p = runToEnd(5);
        assertEquals(1, p.findings().unresolved());
        assertEquals(0, p.findings().differences());
        busy = SurveyRecount.MAX_ATTEMPTS - 1;
        assertEquals(2, runToEnd(5).findings().differences(), "repaired once a read was stable: responses and score:9");
    }
}
