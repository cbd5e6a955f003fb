package dev.crm.churn.statistics;

import java.util.Objects;

/**
 * The candidate a {@link PurchaseForecaster} chose, as a model of one customer: the run scores every
 * customer with it (P(alive), expected purchases, CLV). The arithmetic is the forecaster's, in the same
 * order, so a customer's expectation here equals the forecast's for them.
 *
 * @param chosen     one of {@link PurchaseForecaster#CANDIDATES}
 * @param paretoNbd  null only when {@code chosen} is {@link PurchaseForecaster#BG_NBD} (a run that fitted
 *                   BG/NBD alone)
 * @param correction null unless {@code chosen} is {@link PurchaseForecaster#CORRECTED}
 */
public record ChosenForecast(String chosen, BgNbdParameters bgNbd, ParetoNbdParameters paretoNbd,
                             MbgNbdParameters mbgNbd, PoissonCorrection correction) implements PurchaseCountModel {

    public ChosenForecast {
        if (!PurchaseForecaster.CANDIDATES.contains(chosen)) {
            throw new IllegalArgumentException("not a candidate: " + chosen);
        }
        Objects.requireNonNull(bgNbd, "bgNbd");
        if (!PurchaseForecaster.BG_NBD.equals(chosen) && (paretoNbd == null || mbgNbd == null)) {
            throw new IllegalArgumentException("the candidate needs all three models");
        }
        if (PurchaseForecaster.CORRECTED.equals(chosen) && correction == null) {
            throw new IllegalArgumentException("the corrected candidate needs its correction");
        }
    }

    /** BG/NBD alone (a run whose data the three-model forecast could not be fitted on). */
    public static ChosenForecast bgNbdOnly(BgNbdParameters bgNbd) {
        return new ChosenForecast(PurchaseForecaster.BG_NBD, bgNbd, null, null, null);
    }

    private PurchaseCountModel[] models() {
        return new PurchaseCountModel[] {new BgNbdModel(bgNbd), new ParetoNbdModel(paretoNbd), new MbgNbdModel(mbgNbd)};
    }

    @Override
    public double pAlive(CustomerSummary customer) {
        switch (chosen) {
            case PurchaseForecaster.BG_NBD:
                return new BgNbdModel(bgNbd).pAlive(customer);
            case PurchaseForecaster.PARETO_NBD:
                return new ParetoNbdModel(paretoNbd).pAlive(customer);
            case PurchaseForecaster.MBG_NBD:
                return new MbgNbdModel(mbgNbd).pAlive(customer);
            default:
                PurchaseCountModel[] m = models();
                return (m[0].pAlive(customer) + m[1].pAlive(customer) + m[2].pAlive(customer)) / 3.0;
        }
    }

    @Override
    public double expectedPurchases(double t, CustomerSummary customer) {
        switch (chosen) {
            case PurchaseForecaster.BG_NBD:
                return new BgNbdModel(bgNbd).expectedPurchases(t, customer);
            case PurchaseForecaster.PARETO_NBD:
                return new ParetoNbdModel(paretoNbd).expectedPurchases(t, customer);
            case PurchaseForecaster.MBG_NBD:
                return new MbgNbdModel(mbgNbd).expectedPurchases(t, customer);
            default:
                // the forecaster's order of additions: ((0 + bg/3) + pareto/3) + mbg/3
                double ensemble = 0.0;
                for (PurchaseCountModel m : models()) {
                    ensemble += m.expectedPurchases(t, customer) / 3.0;
                }
                if (PurchaseForecaster.ENSEMBLE.equals(chosen)) {
                    return ensemble;
                }
                return ensemble * correction.factor(PurchaseForecaster.features(customer));
        }
    }
}
