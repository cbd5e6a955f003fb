/**
 * The surveys domain: plain Java, no AWS types. Definitions ({@link dev.crm.surveys.domain.Survey},
 * {@link dev.crm.surveys.domain.Question}) parsed and validated from request bodies; submissions
 * ({@link dev.crm.surveys.domain.Submission}, {@link dev.crm.surveys.domain.Answers}); the numbers
 * ({@link dev.crm.surveys.domain.Scores}); running aggregates per day
 * ({@link dev.crm.surveys.domain.ScoreCounts}), sharded ({@link dev.crm.surveys.domain.CounterShards}) and
 * read back as results ({@link dev.crm.surveys.domain.SurveyResults} over a
 * {@link dev.crm.surveys.domain.ResultsQuery}); and the rate limit's arithmetic
 * ({@link dev.crm.surveys.domain.FixedWindowRateLimit}).
 *
 * <p>Over the store's ports: {@link dev.crm.surveys.domain.SurveyService} records responses exactly once
 * (ids from {@link dev.crm.surveys.domain.ResponseIds}, the stored form
 * {@link dev.crm.surveys.domain.RecordedResponse}, a contact's {@link dev.crm.surveys.domain.LatestScores})
 * and computes results, per segment with the shared segment rules ({@link dev.crm.shared.segment.SegmentRule});
 * {@link dev.crm.surveys.domain.SurveyRecount} verifies and repairs the counters;
 * {@link dev.crm.surveys.domain.SubmissionLimits} applies the per-client and per-survey limits.
 *
 * <p>Validation follows the shared convention: every problem is recorded on the request's
 * {@link dev.crm.shared.json.Violations} (JSON Pointers into the body, or query parameter names), and the
 * parsing method returns null when there is any, so the handler answers one 400 listing them all.
 */
package dev.crm.surveys.domain;
