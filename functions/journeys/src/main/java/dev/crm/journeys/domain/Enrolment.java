package dev.crm.journeys.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One contact's way through one journey, under the definition version it entered with.
 *
 * @param position  the next step to run ({@link StepPath}); {@code ""} once finished
 * @param dueAt     when the next step runs; null once finished (the enrolment leaves the due index)
 * @param revision  counts the enrolment's writes: every advance is conditioned on it, so two sweepers
 *                  never both run a step
 * @param sent      messages sent so far (the decoder's {@code journey.message_sent} compares it)
 * @param history   the steps run, oldest first, each with its instant and outcome
 */
public record Enrolment(String id, String journeyId, String contactId, long definitionVersion, String triggerEventId,
        Status status, String reason, String position, Instant dueAt, Instant enteredAt, long revision, int sent,
        List<StepRecord> history) {
    public static final String ID_PREFIX = "enr_";
    /** The history keeps the latest entries; a step that waits many times (quiet hours) adds one each. */
    public static final int MAX_HISTORY = 60;

    public enum Status {
        ACTIVE, COMPLETED, EXITED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param outcome what happened: {@code waiting}, {@code sent}, {@code blocked:quiet_hours}, {@code skipped:…} */
    public record StepRecord(String step, String kind, Instant at, String outcome) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", step.isEmpty() ? null : StepPath.pointer(step));
            m.put("kind", kind);
            m.put("at", Times.format(at));
            m.put("outcome", outcome);
            return m;
        }
    }

    /** The same (journey, contact, trigger event) always gives the same id: a replayed event enrols once. */
    public static String idFor(String journeyId, String contactId, String triggerEventId) {
        return ID_PREFIX + Hashes.sha256Hex("enrolment|" + journeyId + "|" + contactId + "|" + triggerEventId).substring(0, 24);
    }

    public static Enrolment enter(String journeyId, String contactId, long definitionVersion, String triggerEventId,
            String firstStep, Instant now) {
        return new Enrolment(idFor(journeyId, contactId, triggerEventId), journeyId, contactId, definitionVersion,
                triggerEventId, Status.ACTIVE, null, firstStep, now, now, 0, 0,
                List.of(new StepRecord("", "enter", now, "entered")));
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    /** The next state: at {@code position}, due at {@code due}, with a history entry. */
    public Enrolment advance(String newPosition, Instant due, StepRecord record, boolean sentOne) {
        return new Enrolment(id, journeyId, contactId, definitionVersion, triggerEventId, Status.ACTIVE, null,
                newPosition, due, enteredAt, revision + 1, sent + (sentOne ? 1 : 0), append(record));
    }

    public Enrolment completed(Instant now) {
        return new Enrolment(id, journeyId, contactId, definitionVersion, triggerEventId, Status.COMPLETED, null,
                StepPath.END, null, enteredAt, revision + 1, sent, append(new StepRecord("", "end", now, "completed")));
    }

    public Enrolment exited(String why, Instant now, String atStep, String kind) {
        return new Enrolment(id, journeyId, contactId, definitionVersion, triggerEventId, Status.EXITED, why,
                position, null, enteredAt, revision + 1, sent, append(new StepRecord(atStep, kind, now, "exited:" + why)));
    }

    private List<StepRecord> append(StepRecord r) {
        List<StepRecord> h = new ArrayList<>(history);
        h.add(r);
        while (h.size() > MAX_HISTORY) {
            h.remove(1); // keep the entry
        }
        return List.copyOf(h);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("journeyId", journeyId);
        m.put("contactId", contactId);
        m.put("definitionVersion", definitionVersion);
        m.put("triggerEventId", triggerEventId);
        m.put("status", status.wire());
        m.put("reason", reason);
        m.put("enteredAt", Times.format(enteredAt));
        m.put("nextStepAt", dueAt == null ? null : Times.format(dueAt));
        m.put("steps", history.stream().map(StepRecord::toJson).toList());
        return m;
    }
}
