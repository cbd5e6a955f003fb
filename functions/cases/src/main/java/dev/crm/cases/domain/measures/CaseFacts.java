package dev.crm.cases.domain.measures;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.SupportCase.Status;
import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.SlaClock;
import dev.crm.shared.service.SlaPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the measures count of one case, as it stood at an instant {@code asOf}, read from the case and
 * its history: solved or not then, the time to its first response and to its (last) solve on both
 * clocks (SLA pauses excluded, as the SLA figures count them), whether it met its resolution target,
 * whether it was ever reopened, how many public agent messages it took.
 *
 * @param resolution null unless solved (or closed) at {@code asOf}
 * @param firstResponse null unless first responded to before {@code asOf}
 */
public record CaseFacts(SupportCase supportCase, boolean solved, boolean everSolved, boolean reopened,
        SlaClock.Figures firstResponse, SlaClock.Figures resolution, int publicAgentMessages) {

    /**
     * @param history the case's whole history, oldest first; may be empty for a case never solved
     *                (its {@code solvedAt} is null), which needs none
     */
    public static CaseFacts of(SupportCase c, List<HistoryEntry> history, BusinessCalendar calendar, SlaPolicy policy,
            Instant asOf) {
        SlaClock clock = new SlaClock(calendar, policy);
        SlaClock.Figures first = c.firstResponseAt() != null && c.firstResponseAt().isBefore(asOf)
                ? clock.firstResponse(c.createdAt(), c.firstResponseAt(), asOf) : null;
        Status status = Status.NEW;
        Instant since = c.createdAt();
        Instant lastSolve = null;
        boolean everSolved = false;
        boolean reopened = false;
        int agentMessages = 0;
        int agentMessagesAtSolve = 0;
        List<SlaClock.Pause> pauses = new ArrayList<>();
        for (HistoryEntry e : history) {
            if (!e.at().isBefore(asOf)) {
                break;
            }
            if (HistoryEntry.MESSAGE.equals(e.kind()) && "agent".equals(e.fields().get("author"))
                    && "public".equals(e.fields().get("visibility"))) {
                agentMessages++;
            }
            Status next = switch (e.kind()) {
                case HistoryEntry.CREATED -> status(e.fields().get("status"), Status.NEW);
                case HistoryEntry.STATUS_CHANGED -> status(e.fields().get("to"), status);
                default -> status;
            };
            if (next == status) {
                continue;
            }
            // the stretch in the old status ends here
            if (status == Status.PENDING || status == Status.ON_HOLD) {
                pauses.add(SlaClock.Pause.waiting(since, e.at()));
            } else if (status == Status.SOLVED && next != Status.CLOSED) {
                pauses.add(SlaClock.Pause.stopped(since, e.at()));
                reopened = true;
            }
            if (next == Status.SOLVED) {
                lastSolve = e.at();
                everSolved = true;
                agentMessagesAtSolve = agentMessages;
            }
            if (!(status == Status.SOLVED && next == Status.CLOSED)) {
                since = e.at();
            }
            status = next;
        }
        boolean solved = status == Status.SOLVED || status == Status.CLOSED;
        SlaClock.Figures resolution = solved ? clock.resolution(c.createdAt(), pauses, lastSolve, asOf) : null;
        return new CaseFacts(c, solved, everSolved, reopened, first, resolution, solved ? agentMessagesAtSolve : agentMessages);
    }

    private static Status status(Object wire, Status otherwise) {
        return wire instanceof String s ? Status.valueOf(s.toUpperCase(Locale.ROOT)) : otherwise;
    }

    /** Minutes of a duration, with its fraction. */
    static double minutes(Duration d) {
        return d.toMillis() / 60_000.0;
    }

    /** The grouping key of the case by {@code by} ("unassigned" for a case without assignee). */
    public String group(ServiceMeasures.GroupBy by) {
        SupportCase c = supportCase;
        return switch (by) {
            case CATEGORY -> c.category();
            case CHANNEL -> SupportCase.wire(c.channel());
            case PRIORITY -> SupportCase.wire(c.priority());
            case ASSIGNEE -> c.assignee() == null ? "unassigned" : c.assignee();
            case NONE -> "all";
        };
    }

}
