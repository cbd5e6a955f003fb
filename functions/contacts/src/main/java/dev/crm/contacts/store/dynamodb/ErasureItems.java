package dev.crm.contacts.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** What survives an erasure (docs/data-model.md): the suppression of the pseudonymised address, and the fact of it. */
final class ErasureItems {
    private ErasureItems() {}

    /** Never contact this (pseudonymised) address again, on any channel. */
    static final class Suppression {
        static final TableSchema<Suppression> SCHEMA = StaticTableSchema.builder(Suppression.class)
                .newItemSupplier(Suppression::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                        .tags(primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
                .addAttribute(String.class, a -> a.name("channels").getter(r -> r.channels).setter((r, v) -> r.channels = v))
                .addAttribute(String.class, a -> a.name("reason").getter(r -> r.reason).setter((r, v) -> r.reason = v))
                .addAttribute(Instant.class, a -> a.name("suppressedAt").getter(r -> r.suppressedAt)
                        .setter((r, v) -> r.suppressedAt = v).attributeConverter(Converters.INSTANT))
                .build();

        private String pk;
        private String sk;
        private String entity;
        private String tenantId;
        private String channels;
        private String reason;
        private Instant suppressedAt;

        static Suppression of(TenantId t, String pseudonym, String reason, Instant at) {
            Suppression s = new Suppression();
            s.pk = Keys.suppression(t, pseudonym);
            s.sk = Keys.ITEM;
            s.entity = "SUPPRESSION";
            s.tenantId = t.value();
            s.channels = "all";
            s.reason = reason;
            s.suppressedAt = at;
            return s;
        }
    }

    /** The fact of an erasure or anonymisation, under the pseudonym only, one per job. */
    static final class Record {
        static final TableSchema<Record> SCHEMA = StaticTableSchema.builder(Record.class)
                .newItemSupplier(Record::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                        .tags(primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
                .addAttribute(String.class, a -> a.name("pseudonym").getter(r -> r.pseudonym).setter((r, v) -> r.pseudonym = v))
                .addAttribute(String.class, a -> a.name("kind").getter(r -> r.kind).setter((r, v) -> r.kind = v))
                .addAttribute(Instant.class, a -> a.name("at").getter(r -> r.at).setter((r, v) -> r.at = v)
                        .attributeConverter(Converters.INSTANT))
                .build();

        private String pk;
        private String sk;
        private String entity;
        private String tenantId;
        private String pseudonym;
        private String kind;
        private Instant at;

        static Record of(TenantId t, String jobId, String pseudonym, String kind, Instant at) {
            Record r = new Record();
            r.pk = Keys.erasureRecord(t);
            r.sk = jobId;
            r.entity = "ERASURE_RECORD";
            r.tenantId = t.value();
            r.pseudonym = pseudonym;
            r.kind = kind;
            r.at = at;
            return r;
        }
    }
}
