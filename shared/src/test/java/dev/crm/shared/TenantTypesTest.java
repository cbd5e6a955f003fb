package dev.crm.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import org.junit.jupiter.api.Test;

class TenantTypesTest {
    @Test
    void scopesNestAndTheOperatorStandsApart() {
        assertTrue(Scope.ADMIN.allows(Scope.WRITE));
        assertTrue(Scope.WRITE.allows(Scope.READ));
        assertFalse(Scope.READ.allows(Scope.WRITE));
        assertFalse(Scope.WRITE.allows(Scope.ADMIN));
        assertFalse(Scope.OPERATOR.allows(Scope.READ));
        assertFalse(Scope.ADMIN.allows(Scope.OPERATOR));
        assertTrue(Scope.OPERATOR.allows(Scope.OPERATOR));
    }

    @Test
    void tenantIdsAreValidatedTypes() {
        assertTrue(TenantId.isValid(TenantId.generate().value()));
        assertThrows(IllegalArgumentException.class, () -> new TenantId("../t_other"));
        assertThrows(IllegalArgumentException.class, () -> new TenantId("t_ABC"));
        assertFalse(TenantId.isValid("t_aaaaaaaaaaaaaaaaaaaa#SYS"));
    }

    @Test
    void apiKeysAreLongRandomAndRecognisable() {
        String a = ApiKeys.generate();
        String b = ApiKeys.generate();
        assertTrue(a.startsWith("crm_live_") && a.length() == 52);
        assertFalse(a.equals(b));
        assertTrue(ApiKeys.looksValid(a));
        assertFalse(ApiKeys.looksValid("crm_live_abc def"));
        assertEquals(a, ApiKeys.fromAuthorizationHeader("bearer " + a));
        assertNull(ApiKeys.fromAuthorizationHeader("Token " + a));
        assertFalse(ApiKeys.displayPrefix(a).contains(a.substring(20)));
    }

    @Test
    void originsAndZonesAreCheckedStrictly() {
        assertTrue(TenantSettings.isOrigin("https://www.example.com"));
        assertTrue(TenantSettings.isOrigin("https://shop.example.com:8443"));
        assertTrue(TenantSettings.isOrigin("http://localhost:3000"));
        assertFalse(TenantSettings.isOrigin("http://www.example.com"), "plain http only for localhost");
        assertFalse(TenantSettings.isOrigin("https://www.example.com/"));
        assertFalse(TenantSettings.isOrigin("https://user@www.example.com"));
        assertFalse(TenantSettings.isOrigin("*"));
        assertTrue(TenantSettings.isZone("Europe/London"));
        assertFalse(TenantSettings.isZone("+02:00"));
        assertFalse(TenantSettings.isZone("Mars/Olympus"));
        assertTrue(TenantSettings.isCurrency("EUR"));
        assertFalse(TenantSettings.isCurrency("eur"));
        assertFalse(TenantSettings.isCurrency("ABC"));
    }
}
