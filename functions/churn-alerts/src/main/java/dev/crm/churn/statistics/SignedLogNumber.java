package dev.crm.churn.statistics;

/**
 * A real number stored as sign and log of its magnitude, so that hypergeometric values far outside
 * the double range (they occur for customers with thousands of purchases) can still be combined.
 *
 * @param sign   -1, 0 or 1
 * @param logAbs log |value|; -∞ when the value is zero
 */
record SignedLogNumber(int sign, double logAbs) {

    static final SignedLogNumber ZERO = new SignedLogNumber(0, Double.NEGATIVE_INFINITY);
    static final SignedLogNumber ONE = new SignedLogNumber(1, 0.0);

    SignedLogNumber {
        if (sign < -1 || sign > 1) {
            throw new IllegalArgumentException("sign must be -1, 0 or 1");
        }
        if (sign == 0) {
            logAbs = Double.NEGATIVE_INFINITY;
        }
    }

    static SignedLogNumber of(double value) {
        if (value == 0.0) {
            return ZERO;
        }
        return new SignedLogNumber(value > 0 ? 1 : -1, Math.log(Math.abs(value)));
    }

    SignedLogNumber times(SignedLogNumber other) {
        if (sign == 0 || other.sign == 0) {
            return ZERO;
        }
        return new SignedLogNumber(sign * other.sign, logAbs + other.logAbs);
    }

    SignedLogNumber plus(SignedLogNumber other) {
        if (other.sign == 0) {
            return this;
        }
        if (sign == 0) {
            return other;
        }
        SignedLogNumber larger = logAbs >= other.logAbs ? this : other;
        SignedLogNumber smaller = larger == this ? other : this;
        double ratio = Math.exp(smaller.logAbs - larger.logAbs);
        if (larger.sign == smaller.sign) {
            return new SignedLogNumber(larger.sign, larger.logAbs + Math.log1p(ratio));
        }
        if (ratio == 1.0) {
            return ZERO;
        }
        return new SignedLogNumber(larger.sign, larger.logAbs + Math.log1p(-ratio));
    }

    double toDouble() {
        return sign == 0 ? 0.0 : sign * Math.exp(logAbs);
    }
}
