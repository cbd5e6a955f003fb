package dev.crm.surveys.domain;

import dev.crm.shared.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@code POST /v1/public/surveys/{id}/responses}:
 * {@code {"answers": {...}, "respondentToken": "..."?, "website": "..."?}}.
 *
 * <p>{@code website} is a honeypot: a form hides it from people, so a value in it means a bot. The
 * handler should check {@link #honeypotFilled(JsonObject)} before anything else and answer 201 without
 * storing, so a bot learns nothing, not even whether its answers were valid.
 */
public record Submission(SubmittedResponse response, String respondentToken, boolean honeypotFilled) {
    public static final String HONEYPOT_FIELD = "website";
    /** Respondent tokens are signed by the product; anything longer is not one. */
    public static final int MAX_TOKEN_LENGTH = 2048;

    /** A honeypot counts as filled when it holds anything but null or blank text. */
    public static boolean honeypotFilled(JsonObject body) {
        Object v = body.raw().get(HONEYPOT_FIELD);
        return v != null && !(v instanceof String s && s.isBlank());
    }

    /**
     * Reads and validates the body. The token's signature and whether it was used already are the
     * caller's to check (they need the tenant's keys and the store); here it is only shaped, and
     * required when the survey does not allow anonymous responses.
     *
     * @return the submission, or null when the body has violations
     */
    public static Submission parse(Survey survey, JsonObject body, Instant now) {
        int before = body.violations().items().size();
        body.allowOnly("answers", "respondentToken", HONEYPOT_FIELD);
        String token = body.optionalLine("respondentToken", 1, MAX_TOKEN_LENGTH);
        if (!survey.allowAnonymous() && body.raw().get("respondentToken") == null) {
            body.violations().pointer(body.pointer("respondentToken"),
                    "required: this survey accepts responses only through a personal link");
        }
        JsonObject answers = body.requiredObject("answers");
        SubmittedResponse response = answers == null ? null : Answers.validate(survey, answers, now);
        if (body.violations().items().size() != before) {
            return null;
        }
        return new Submission(response, token, honeypotFilled(body));
    }
}
