package dev.crm.surveys.domain;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A contact's latest survey scores, one per standard kind, as the contacts 360° view shows them and
 * segments read them ({@code view.nps.score}): {@code {"nps": {"score", "surveyId", "respondedAt"},
 * "csat": …, "ces": …}}. A response only replaces the entry of its kind when it is at least as recent,
 * so responses recorded out of order (clock skew between instances) leave the newest in place.
 */
public final class LatestScores {
    private LatestScores() {}

    /**
     * @param view the stored view (null or empty when the contact has none yet)
     * @return the view with this response's score, or null when it changes nothing (a custom survey, no
     *         score given, or an older response than the one already shown)
     */
    public static Map<String, Object> apply(Map<String, Object> view, Survey survey, RecordedResponse response) {
        Integer score = response.score(survey);
        if (score == null) {
            return null;
        }
        String kind = survey.kind().wire();
        Map<String, Object> current = view == null ? Map.of() : view;
        if (current.get(kind) instanceof Map<?, ?> existing && existing.get("respondedAt") instanceof String at) {
            Instant shown = Times.parse(at);
            if (shown != null && shown.isAfter(response.submittedAt())) {
                return null;
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("score", (long) score);
        entry.put("surveyId", survey.id());
        entry.put("respondedAt", Times.format(response.submittedAt()));
        Map<String, Object> next = new LinkedHashMap<>(current);
        next.put(kind, entry);
        return next;
    }
}
