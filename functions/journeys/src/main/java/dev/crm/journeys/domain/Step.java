package dev.crm.journeys.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.MessageClass;
import dev.crm.shared.segment.SegmentRule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

/** One step of a journey; on the wire a one-key object ({@code {"wait": "P2D"}}). */
public sealed interface Step {
    /** The step's key on the wire. */
    String kind();

    record Wait(Duration duration) implements Step {
        public String kind() {
            return "wait";
        }
    }

    /** Until the next local time (and weekday, when given) in the contact's zone; either may be absent. */
    record WaitUntil(LocalTime localTime, DayOfWeek weekday) implements Step {
        public String kind() {
            return "waitUntil";
        }

        /** The first instant strictly after {@code now} that is at the local time (on the weekday). */
        public Instant next(Instant now, ZoneId zone) {
            ZonedDateTime local = now.atZone(zone);
            LocalTime time = localTime == null ? LocalTime.MIDNIGHT : localTime;
            ZonedDateTime candidate = local.toLocalDate().atTime(time).atZone(zone);
            if (weekday != null) {
                candidate = candidate.with(TemporalAdjusters.nextOrSame(weekday)).toLocalDate().atTime(time).atZone(zone);
            }
            while (!candidate.toInstant().isAfter(now)) {
                candidate = (weekday == null ? candidate.toLocalDate().plusDays(1) : candidate.toLocalDate().plusWeeks(1))
                        .atTime(time).atZone(zone);
            }
            return candidate.toInstant();
        }
    }

    /** @param onBlockedWait true: retry at the decision's nextAllowedAt; false: skip to the next step */
    record Send(Channel channel, String topic, MessageClass messageClass, MessageTemplate template, boolean onBlockedWait)
            implements Step {
        public String kind() {
            return "send";
        }
    }

    record Branch(SegmentRule rule, List<Step> then, List<Step> otherwise) implements Step {
        public String kind() {
            return "branch";
        }
    }

    /**
     * Service recovery (a case for a detractor): the step stores a {@code journey.case_requested} event in
     * its own transaction and the cases function opens one case per request (docs/architecture.md,
     * "Journeys"). The fields are the case API's; nulls take the cases function's defaults.
     */
    record CreateCase(String subject, String description, String priority, String category, String channel)
            implements Step {
        public String kind() {
            return "createCase";
        }
    }

    /**
     * A custom event: announced as {@code journey.custom} with the declared {@code name} (the step's
     * {@code type} on the wire) and {@code data}, stored in the step's own transaction.
     */
    record Emit(String type, Map<String, Object> data) implements Step {
        public String kind() {
            return "emit";
        }
    }
}
