package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SummaryGroupingTest {

    private static final BgNbdParameters PARAMETERS = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

    @Test
    void groupedLikelihoodEqualsTheSumOverCustomers() {
        List<CustomerSummary> customers = CdnowDataset.load();
        List<FrequencyRecencyGroup> groups = SummaryGrouping.byFrequencyRecency(customers);
        assertTrue(groups.size() < customers.size(), "CDNOW has duplicate summaries");
        assertEquals(customers.size(), groups.stream().mapToLong(FrequencyRecencyGroup::count).sum());

        BgNbdModel model = new BgNbdModel(PARAMETERS);
        double ungrouped = 0.0;
        for (CustomerSummary customer : customers) {
            ungrouped += model.logLikelihood(customer);
        }
        double grouped = new BgNbdLikelihood(groups).logLikelihood(PARAMETERS);
        assertEquals(ungrouped, grouped, 1e-10 * Math.abs(ungrouped));

        GammaGammaModel spendModel = new GammaGammaModel(new GammaGammaParameters(6.25, 3.74, 15.44));
        double spendUngrouped = 0.0;
        for (CustomerSummary customer : customers) {
            if (customer.x() > 0) {
                spendUngrouped += spendModel.logLikelihood(customer.x(), customer.meanRepeatSpend());
            }
        }
        double spendGrouped = new GammaGammaLikelihood(SummaryGrouping.bySpend(customers))
                .logLikelihood(spendModel.parameters());
        assertEquals(spendUngrouped, spendGrouped, 1e-10 * Math.abs(spendUngrouped));
    }

    @Test
    void groupedLikelihoodEqualsOneGroupPerCustomer() {
        // Day-bucketed simulated data: many exact duplicates, and a large enough input to take
        // the chunked parallel path of the grouped likelihood.
        SplittableRandom random = new SplittableRandom(11);
        BgNbdSimulator simulator = new BgNbdSimulator(PARAMETERS);
        List<CustomerSummary> customers = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            int ageDays = 1 + random.nextInt(365);
            CustomerSummary c = simulator.simulateCustomer(random, ageDays / 7.0);
            double tx = Math.min(ageDays, Math.round(c.tx() * 7.0)) / 7.0;
            customers.add(CustomerSummary.ofFrequencyRecency(c.x(), tx, ageDays / 7.0));
        }
        List<FrequencyRecencyGroup> grouped = SummaryGrouping.byFrequencyRecency(customers);
        List<FrequencyRecencyGroup> oneEach = new ArrayList<>();
        for (CustomerSummary c : customers) {
            oneEach.add(new FrequencyRecencyGroup(c.x(), c.tx(), c.T(), 1));
        }
        assertTrue(grouped.size() < customers.size() / 2);
        double[] gradientGrouped = new double[4];
        double[] gradientOneEach = new double[4];
        double valueGrouped = new BgNbdLikelihood(grouped).logLikelihood(PARAMETERS, gradientGrouped);
        double valueOneEach = new BgNbdLikelihood(oneEach).logLikelihood(PARAMETERS, gradientOneEach);
        assertEquals(valueOneEach, valueGrouped, 1e-11 * Math.abs(valueOneEach));
        for (int i = 0; i < 4; i++) {
            assertEquals(gradientOneEach[i], gradientGrouped[i], 1e-9 * Math.max(1.0, Math.abs(gradientOneEach[i])));
        }
    }

    @Test
    void groupsDoNotDependOnInputOrderAndFitsAreDeterministic() {
        List<CustomerSummary> customers = new ArrayList<>(CdnowDataset.load());
        List<FrequencyRecencyGroup> original = SummaryGrouping.byFrequencyRecency(customers);
        Collections.shuffle(customers, new Random(5));
        assertEquals(original, SummaryGrouping.byFrequencyRecency(customers));
        assertEquals(BgNbdFitter.fit(original), BgNbdFitter.fitCustomers(customers));
    }

    @Test
    void accumulatorMatchesTheStaticGroupings() {
        List<CustomerSummary> customers = CdnowDataset.load();
        SummaryGrouping grouping = new SummaryGrouping();
        customers.forEach(grouping::add);
        assertEquals(customers.size(), grouping.customerCount());
        assertEquals(SummaryGrouping.byFrequencyRecency(customers), grouping.frequencyRecencyGroups());
        assertEquals(SummaryGrouping.bySpend(customers), grouping.spendGroups());
        assertEquals(946, grouping.spendGroups().stream().mapToLong(SpendGroup::count).sum());
    }

    @Test
    void negativeZeroIsTheSameValue() {
        List<FrequencyRecencyGroup> groups = SummaryGrouping.byFrequencyRecency(List.of(
                CustomerSummary.ofFrequencyRecency(0, 0.0, 5.0),
                CustomerSummary.ofFrequencyRecency(0, -0.0, 5.0)));
        assertEquals(1, groups.size());
        assertEquals(2, groups.get(0).count());
    }
}
