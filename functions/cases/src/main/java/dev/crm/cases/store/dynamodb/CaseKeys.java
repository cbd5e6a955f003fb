package dev.crm.cases.store.dynamodb;

import dev.crm.shared.tenant.TenantId;

/** The cases function's key formats (docs/data-model.md, "Cases"). */
public final class CaseKeys {
    private CaseKeys() {}

    /** One partition per case: the case item and (later) its history. */
    public static String caseItem(TenantId t, String caseId) {
        return t.value() + "#CASE#" + caseId;
    }

    public static final String CASE = "CASE";

    /** The tenant's case-number counter: one item, its {@code last} the last number handed out. */
    public static String counter(TenantId t) {
        return t.value() + "#CASES";
    }

    public static final String COUNTER = "COUNTER";
}
