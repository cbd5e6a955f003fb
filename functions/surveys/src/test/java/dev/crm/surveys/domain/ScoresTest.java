package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoresTest {

    @Test
    void npsCategories() {
        for (int s = 0; s <= 6; s++) {
            assertEquals(Scores.NpsCategory.DETRACTOR, Scores.npsCategory(s));
        }
        assertEquals(Scores.NpsCategory.PASSIVE, Scores.npsCategory(7));
        assertEquals(Scores.NpsCategory.PASSIVE, Scores.npsCategory(8));
        assertEquals(Scores.NpsCategory.PROMOTER, Scores.npsCategory(9));
        assertEquals(Scores.NpsCategory.PROMOTER, Scores.npsCategory(10));
        assertThrows(IllegalArgumentException.class, () -> Scores.npsCategory(-1));
        assertThrows(IllegalArgumentException.class, () -> Scores.npsCategory(11));
    }

    @ParameterizedTest(name = "P={0} passives={1} D={2} -> {3}")
    @CsvSource({
        "520, 380, 100, 42.0",  // the example
        "1, 0, 0, 100.0",
        "0, 0, 1, -100.0",
        "0, 5, 0, 0.0",
        "1, 1, 1, 0.0",
        "2, 1, 0, 66.7",        // 66.666… rounds up
        "1, 2, 0, 33.3",        // 33.333… rounds down
        "1, 7, 0, 12.5",        // exact
        "1, 399, 0, 0.3",       // 0.25 exactly: a tie, rounded up
        "0, 399, 1, -0.3",      // -0.25: ties round away from zero
        "3, 1997, 0, 0.2",      // 0.15
        "0, 1997, 3, -0.2",
        "7, 1993, 0, 0.4",      // 0.35
        "5, 41, 2, 6.3",        // 6.25: see binaryFloatingPointWouldGetTheTieWrong
        "1, 0, 2, -33.3",
        "2, 0, 1, 33.3"})
    void npsIsExactAndRoundedHalfUpToOneDecimal(long promoters, long passives, long detractors, String expected) {
        BigDecimal nps = Scores.nps(promoters, passives, detractors);
        assertEquals(new BigDecimal(expected), nps);
        assertEquals(1, nps.scale());
    }

    @Test
    void binaryFloatingPointWouldGetTheTieWrong() {
        // documents why BigDecimal is used: 5 promoters and 2 detractors of 48 is exactly 6.25, but as
        // doubles 10.4166… − 4.1666… comes out a hair below 6.25 and rounds to 6.2
        double asDoubles = Math.round((100.0 * 5 / 48 - 100.0 * 2 / 48) * 10) / 10.0;
        assertEquals(6.2, asDoubles);
        assertEquals(new BigDecimal("6.3"), Scores.nps(5, 41, 2));
    }

    @Test
    void noResponsesIsNullNotZero() {
        assertNull(Scores.nps(0, 0, 0));
        assertNull(Scores.csat(0, 0));
        assertNull(Scores.ces(0, 0));
        assertNull(Scores.mean(0, 0));
    }

    @ParameterizedTest
    @CsvSource({"800, 1000, 80.0", "1, 3, 33.3", "2, 3, 66.7", "1, 8, 12.5", "1, 400, 0.3", "0, 7, 0.0", "7, 7, 100.0", "7, 2000, 0.4"})
    void csatIsThePercentageOfFoursAndFives(long satisfied, long responses, String expected) {
        assertEquals(new BigDecimal(expected), Scores.csat(satisfied, responses));
    }

    @ParameterizedTest
    @CsvSource({"10, 2, 5.00", "10, 3, 3.33", "20, 3, 6.67", "1, 8, 0.13", "9, 8, 1.13", "41, 8, 5.13", "7, 1, 7.00", "-1, 8, -0.13"})
    void cesIsTheMeanToTwoDecimals(long sum, long responses, String expected) {
        assertEquals(new BigDecimal(expected), Scores.ces(sum, responses));
    }

    @Test
    void countsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Scores.nps(-1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Scores.csat(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Scores.mean(3, -1));
        assertThrows(IllegalArgumentException.class, () -> Scores.isSatisfied(0));
    }

    @Test
    void riskSignals() {
        for (int s = 0; s <= 10; s++) {
            assertEquals(s <= 6, Scores.isRiskSignal(SurveyKind.NPS, s), "nps " + s);
        }
        for (int s = 1; s <= 5; s++) {
            assertEquals(s <= 2, Scores.isRiskSignal(SurveyKind.CSAT, s), "csat " + s);
        }
        for (int s = 1; s <= 7; s++) {
            assertFalse(Scores.isRiskSignal(SurveyKind.CES, s));
        }
        assertFalse(Scores.isRiskSignal(SurveyKind.CUSTOM, 0));
        assertThrows(IllegalArgumentException.class, () -> Scores.isRiskSignal(SurveyKind.CSAT, 0));
        assertThrows(IllegalArgumentException.class, () -> Scores.isRiskSignal(SurveyKind.NPS, 11));
        assertTrue(Scores.isSatisfied(4));
        assertFalse(Scores.isSatisfied(3));
    }
}
