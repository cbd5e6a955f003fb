package dev.crm.surveys.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/**
 * The two per-minute limits on public submissions, counted in the table so every Lambda instance
 * shares them: per survey and client (the survey's {@code rateLimit.perClientPerMinute}; the client
 * is a keyed pseudonym of its IP address, never the address itself), and per survey over all clients
 * (a cap that keeps one survey's counters and responses well within what its partitions absorb, and
 * bounds what a distributed flood can store). The client limit is checked first, so one client over
 * its limit does not use up the survey's budget for everyone else.
 */
public final class SubmissionLimits {
    /**
     * 6,000 a minute (100 a second) per survey by default: far above a website form's traffic, and a
     * tenth of what the survey's sharded counters accept. Settable per deployment
     * ({@code SURVEY_SUBMISSIONS_PER_MINUTE}).
     */
    public static final int DEFAULT_SURVEY_PER_MINUTE = 6_000;

    private final RateCounterRepository counters;
    private final int surveyPerMinute;

    public SubmissionLimits(RateCounterRepository counters, int surveyPerMinute) {
        if (surveyPerMinute < 1) {
            throw new IllegalArgumentException("the survey limit allows at least one submission a minute");
        }
        this.counters = counters;
        this.surveyPerMinute = surveyPerMinute;
    }

    public int surveyPerMinute() {
        return surveyPerMinute;
    }

    /** @return the seconds to wait when refused, or 0 when the submission may go ahead */
    public long check(TenantId tenant, Survey survey, String clientPseudonym, Instant now) {
        long window = FixedWindowRateLimit.windowId(now);
        Instant expires = Instant.ofEpochSecond(FixedWindowRateLimit.expiresAtEpochSecond(now));
        long byClient = counters.increment(tenant, survey.id(), clientPseudonym, window, expires);
        var decision = new FixedWindowRateLimit(survey.perClientPerMinute()).decide(byClient, now);
        if (!decision.allowed()) {
            return decision.retryAfterSeconds();
        }
        long bySurvey = counters.increment(tenant, survey.id(), RateCounterRepository.ALL_CLIENTS, window, expires);
        decision = new FixedWindowRateLimit(surveyPerMinute).decide(bySurvey, now);
        return decision.allowed() ? 0 : decision.retryAfterSeconds();
    }
}
