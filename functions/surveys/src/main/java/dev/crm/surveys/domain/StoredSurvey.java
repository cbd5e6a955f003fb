package dev.crm.surveys.domain;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A survey as the store keeps it: its definition and the time zone its responses are counted in.
 *
 * <p>The zone is the tenant's default time zone when the survey was created and never changes
 * afterwards: the day counters are keyed by calendar day in that zone, so results, recounts and the
 * counters themselves always agree on which day a response belongs to, even if the tenant later
 * changes its default zone.
 */
public record StoredSurvey(Survey survey, ZoneId zone) {
    public StoredSurvey {
        Objects.requireNonNull(survey, "survey");
        Objects.requireNonNull(zone, "zone");
    }

    public String id() {
        return survey.id();
    }

    public StoredSurvey with(Survey updated) {
        return new StoredSurvey(updated, zone);
    }
}
