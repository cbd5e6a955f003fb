package dev.crm.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The runner's one clock: system time plus an offset that only grows (POST /_local/clock), so moved
 * time keeps ticking from the new instant. Every function, schedule event, timer and the runner's own
 * records read it. Nothing like it exists on AWS.
 */
final class MovableClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    MovableClock(Clock base) {
        this(base, Duration.ZERO);
    }

    /** A clock that starts {@code startOffset} away from {@code base} (the demo starts in the past). */
    MovableClock(Clock base, Duration startOffset) {
        this.base = base;
        this.offset = startOffset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // The product asks for zones only to read dates; a fixed view of the moving clock would stop it.
        Clock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return self.withZone(z);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    Duration offset() {
        return offset;
    }

    /** Moves a clock that is behind the system's (the demo's) up to it; a clock ahead stays where it is. */
    synchronized Instant catchUp() {
        if (offset.isNegative()) {
            offset = Duration.ZERO;
        }
        return instant();
    }

    /** Moves the clock to {@code target}, which must not be before now; returns the instant it reads afterwards. */
    synchronized Instant moveTo(Instant target) {
        Instant now = instant();
        if (target.isBefore(now)) {
            throw new IllegalArgumentException("the clock only moves forward: " + target + " is before now (" + now + ")");
        }
        offset = offset.plus(Duration.between(now, target));
        return instant();
    }
}
