package dev.crm.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of the local runner. */
record Options(int port, boolean inMemory, Path dataDir, Path template, List<String> fireSchedules, boolean help,
        boolean demo) {
    Options(int port, boolean inMemory, Path dataDir, Path template, List<String> fireSchedules, boolean help) {
        this(port, inMemory, dataDir, template, fireSchedules, help, false);
    }

    static final String USAGE = """
            Usage: java -jar local/target/crm-local.jar [options]
              --port N              HTTP port (default 3000)
              --in-memory           throw-away data (default: persisted in ./.crm-local)
              --data-dir DIR        where DynamoDB Local keeps its data (default ./.crm-local)
              --template FILE       the SAM template (default ./template.yaml)
              --fire-schedule NAME  fire a schedule from the template once after start (repeatable)
              --demo                seed the demo tenant with a living business (thousands of contacts,
                                    purchase histories, twelve weeks of NPS/CSAT, churn alerts, cases);
                                    in memory unless --data-dir is given
            Environment: CRM_OPERATOR_KEY sets the operator key: crm_op_ followed by ASCII letters, digits
              or _, 20 to 128 characters in all (else one is generated and printed).
              CRM_WEBHOOK_ALLOW_LOOPBACK=true lets webhooks go to http:// and 127.0.0.1 / ::1 (local only).
              CRM_WEBHOOK_RETRY_SCALE=0.001 multiplies every webhook retry delay (local only).
              CRM_LOCAL_TICK_SCHEDULES lists the schedules fired every 250 ms (default WebhookRetries,CaseSlaChecks,JourneySteps; none).
              CRM_LOCAL_DEMO_SIZE=small makes --demo seed a small business of the same shape (the tests use it).
            """;

    static Options parse(String[] args) {
        int port = 3000;
        boolean inMemory = false;
        Path dataDir = Path.of(".crm-local");
        Path template = Path.of("template.yaml");
        List<String> schedules = new ArrayList<>();
        boolean help = false;
        boolean demo = false;
        boolean dataDirGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--in-memory" -> inMemory = true;
                case "--data-dir" -> {
                    dataDir = Path.of(value(args, ++i, a));
                    dataDirGiven = true;
                }
                case "--demo" -> demo = true;
                case "--template" -> template = Path.of(value(args, ++i, a));
                case "--fire-schedule" -> schedules.add(value(args, ++i, a));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535");
        }
        // a demo is for looking around: fresh each start unless a place to keep it is named
        return new Options(port, inMemory || (demo && !dataDirGiven), dataDir, template, schedules, help, demo);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
