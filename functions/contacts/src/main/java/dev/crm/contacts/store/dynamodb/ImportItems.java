package dev.crm.contacts.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** The items of an import under its job's partition (docs/data-model.md, "Contact jobs"), by static schemas. */
final class ImportItems {
    private ImportItems() {}

    /** A chunk of stored rows ({@code CHUNK#…}) or of rejected rows ({@code REJECTED#…}): text lines, expiring. */
    static final class Lines {
        static final TableSchema<Lines> SCHEMA = StaticTableSchema.builder(Lines.class)
                .newItemSupplier(Lines::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                        .tags(primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
                .addAttribute(EnhancedType.listOf(String.class), a -> a.name("rows").getter(r -> r.rows).setter((r, v) -> r.rows = v))
                .addAttribute(Instant.class, a -> a.name(Table.TTL).getter(r -> r.expiresAt).setter((r, v) -> r.expiresAt = v)
                        .attributeConverter(Converters.EPOCH_SECONDS))
                .build();

        private String pk;
        private String sk;
        private String entity;
        private String tenantId;
        private List<String> rows;
        private Instant expiresAt;

        static Lines of(String pk, String sk, String entity, String tenantId, List<String> rows, Instant expiresAt) {
            Lines l = new Lines();
            l.pk = pk;
            l.sk = sk;
            l.entity = entity;
            l.tenantId = tenantId;
            l.rows = List.copyOf(rows);
            l.expiresAt = expiresAt;
            return l;
        }

        List<String> rows() {
            return rows == null ? List.of() : rows;
        }
    }

    /** A row's outcome ({@code ROW#…}): created, updated or rejected (with its violations as JSON text). */
    static final class RowMarker {
        static final TableSchema<RowMarker> SCHEMA = StaticTableSchema.builder(RowMarker.class)
                .newItemSupplier(RowMarker::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                        .tags(primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
                .addAttribute(String.class, a -> a.name("outcome").getter(r -> r.outcome).setter((r, v) -> r.outcome = v))
                .addAttribute(String.class, a -> a.name("contactId").getter(r -> r.contactId).setter((r, v) -> r.contactId = v))
                .addAttribute(String.class, a -> a.name("errors").getter(r -> r.errors).setter((r, v) -> r.errors = v))
                .addAttribute(Instant.class, a -> a.name(Table.TTL).getter(r -> r.expiresAt).setter((r, v) -> r.expiresAt = v)
                        .attributeConverter(Converters.EPOCH_SECONDS))
                .build();

        private String pk;
        private String sk;
        private String entity;
        private String tenantId;
        private String outcome;
        private String contactId;
        private String errors;
        private Instant expiresAt;

        static RowMarker of(String pk, String sk, String tenantId, String outcome, String contactId, String errors,
                Instant expiresAt) {
            RowMarker m = new RowMarker();
            m.pk = pk;
            m.sk = sk;
            m.entity = "IMPORT_ROW";
            m.tenantId = tenantId;
            m.outcome = outcome;
            m.contactId = contactId;
            m.errors = errors;
            m.expiresAt = expiresAt;
            return m;
        }

        String sk() {
            return sk;
        }

        String outcome() {
            return outcome;
        }

        String errors() {
            return errors;
        }
    }
}
