package dev.crm.cases.domain.forecast;

import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.measures.CaseRecordsRepository;
import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The forecast route's use case: the tenant's arrivals before {@code from}, the model, optional staffing. */
public final class CaseForecast {
    /** The most arrivals one forecast reads ({@link DemandForecast#HISTORY_WEEKS} weeks of them). */
    public static final int MAX_ARRIVALS = 200_000;

    private final CaseRecordsRepository records;
    private final Function<TenantId, TenantSettings> settings;

    public CaseForecast(CaseRecordsRepository records, Function<TenantId, TenantSettings> settings) {
        this.records = records;
        this.settings = settings;
    }

    /** Staffing targets: the share answered within a wait, and the average handle time. */
    public record Staffing(double serviceLevel, double answerWithinSeconds, double handleTimeSeconds) {}

    /**
     * @param channel  null: every channel
     * @param staffing null: no {@code agentsNeeded}
     * @throws CaseRecordsRepository.TooMany when the history holds more than {@link #MAX_ARRIVALS} cases
     */
    public Map<String, Object> forecast(TenantId tenant, Instant from, int weeks, DemandForecast.Interval interval,
            SupportCase.Channel channel, Staffing staffing) {
        TenantSettings s = settings.apply(tenant);
        BusinessCalendar calendar = s.businessCalendar();
        DemandForecast model = new DemandForecast(calendar.zone(), calendar.holidays());
        Instant origin = model.align(from, interval);
        Instant historyFrom = origin.atZone(calendar.zone()).minusWeeks(DemandForecast.HISTORY_WEEKS).toInstant();
        List<Instant> arrivals = records.arrivals(tenant, historyFrom, origin, channel, MAX_ARRIVALS).stream()
                .map(CaseRecordsRepository.Arrival::createdAt).toList();
        DemandForecast.Result result = model.forecast(arrivals, origin, weeks, interval);
        double occupancy = s.service().staffingMaxOccupancy();
        List<Object> intervals = new ArrayList<>();
        for (DemandForecast.Period p : result.intervals()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", p.start().toString());
            m.put("end", p.end().toString());
            BigDecimal expected = round(p.expected(), 2);
            m.put("expected", expected);
            m.put("lower", p.lower());
            m.put("upper", p.upper());
            if (staffing != null) {
                // from the expected figure the client sees, so anyone can check it
                m.put("agentsNeeded", ErlangC.agentsNeeded(expected.doubleValue(), Duration.between(p.start(), p.end()).getSeconds(),
                        staffing.serviceLevel(), staffing.answerWithinSeconds(), staffing.handleTimeSeconds(), occupancy));
            }
            intervals.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", result.from().toString());
        out.put("interval", interval.name().toLowerCase(java.util.Locale.ROOT));
        out.put("timeZone", calendar.zone().getId());
        if (channel != null) {
            out.put("channel", SupportCase.wire(channel));
        }
        out.put("historyCases", arrivals.size());
        out.put("intervals", intervals);
        Map<String, Object> backtest = null;
        if (result.backtest() != null) {
            backtest = new LinkedHashMap<>();
            backtest.put("weeks", DemandForecast.BACKTEST_WEEKS);
            backtest.put("mase", round(result.backtest().mase(), 4));
            backtest.put("naiveMase", round(result.backtest().naiveMase(), 4));
        }
        out.put("backtest", backtest);
        if (staffing != null) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("serviceLevel", BigDecimal.valueOf(staffing.serviceLevel()));
            st.put("answerWithinSeconds", BigDecimal.valueOf(staffing.answerWithinSeconds()));
            st.put("handleTimeSeconds", BigDecimal.valueOf(staffing.handleTimeSeconds()));
            st.put("maxOccupancy", BigDecimal.valueOf(occupancy));
            out.put("staffing", st);
        }
        return out;
    }

    private static BigDecimal round(double v, int places) {
        return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_EVEN);
    }
}
