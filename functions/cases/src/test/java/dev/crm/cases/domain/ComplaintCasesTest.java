package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.store.memory.InMemoryCaseRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.tenant.ServiceSettings;
import dev.crm.shared.tenant.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Complaints opening cases, on the in-memory repository. */
class ComplaintCasesTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();
    private final Map<TenantId, ServiceSettings> settings = new HashMap<>();
    private final Cases cases = new Cases(repository, t -> settings.getOrDefault(t, ServiceSettings.defaults())
            .caseCategories().stream().map(ServiceSettings.CaseCategory::key).toList(), clock);
    private final ComplaintCases complaints = new ComplaintCases(cases, t -> settings.getOrDefault(t, ServiceSettings.defaults()));
    private final TenantId tenant = TenantId.generate();

    private void tenantSettings(TenantId t, boolean on, String... categories) {
        settings.put(t, new ServiceSettings(java.util.Arrays.stream(categories).map(k -> new ServiceSettings.CaseCategory(k, k))
                .toList(), null, Map.of(), 7, on, 0.85));
    }

    private ComplaintCases.Complaint complaint(TenantId t, String channel, String summary) {
        repository.activeContact(t, "ct_1");
        return new ComplaintCases.Complaint(t, "ct_1", "cmp-1", channel, summary);
    }

    @Test
    void offByDefaultNothingOpens() {
        assertTrue(complaints.open(complaint(tenant, "email", "x")).isEmpty());
        assertEquals(0, cases.list(tenant, new CaseRepository.Filter(null, null, null, null, null), null, 10).items().size());
    }

    @Test
    void theDefaultsAreDocumented() {
        tenantSettings(tenant, true);
        SupportCase c = complaints.open(complaint(tenant, null, null)).orElseThrow();
        assertEquals("complaint", c.category());
        assertEquals("Complaint", c.subject());
        assertEquals(SupportCase.Channel.WEB, c.channel());
        assertEquals(SupportCase.Priority.NORMAL, c.priority());
        assertEquals(ComplaintCases.caseId("ct_1", "cmp-1"), c.id());
    }

    @Test
    void aTenantWithCategoriesGetsComplaintIfItHasItElseItsFirst() {
        tenantSettings(tenant, true, "billing", "complaint");
        assertEquals("complaint", complaints.open(complaint(tenant, "phone", "x")).orElseThrow().category());
        TenantId other = TenantId.generate();
        tenantSettings(other, true, "returns", "billing");
        assertEquals("returns", complaints.open(complaint(other, "phone", "x")).orElseThrow().category());
    }

    @Test
    void theSubjectIsTheSummarysFirstLineCutToTheCaseLimit() {
        assertEquals("Broken", ComplaintCases.subject("  Broken\nmore text"));
        String longLine = "a".repeat(500);
        assertEquals(200, ComplaintCases.subject(longLine).length());
        assertEquals("Complaint", ComplaintCases.subject("\n\nsecond"));
    }

    @Test
    void channelsMapToCaseChannels() {
        Map<String, SupportCase.Channel> expected = Map.of("email", SupportCase.Channel.EMAIL, "phone", SupportCase.Channel.PHONE,
                "sms", SupportCase.Channel.CHAT, "chat", SupportCase.Channel.CHAT, "store", SupportCase.Channel.IN_PERSON,
                "field", SupportCase.Channel.IN_PERSON, "social", SupportCase.Channel.SOCIAL, "web", SupportCase.Channel.WEB,
                "post", SupportCase.Channel.WEB, "in_app", SupportCase.Channel.WEB);
        expected.forEach((in, out) -> assertEquals(out, ComplaintCases.channel(in), in));
    }

    @Test
    void aContactNoLongerActiveGetsNoCase() {
        tenantSettings(tenant, true);
        var c = new ComplaintCases.Complaint(tenant, "ct_gone", "cmp-1", "email", "x");
        assertTrue(complaints.open(c).isEmpty());
        assertEquals(List.of(), cases.list(tenant, new CaseRepository.Filter(null, null, null, null, null), null, 10).items());
    }
}
