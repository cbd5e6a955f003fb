package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportFileTest {

    @Test
    void ndjsonKeepsItsNonBlankLines() {
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), ImportFile.ndjsonRows("{\"a\":1}\r\n\n   \n{\"b\":2}\n"));
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.ndjsonRows("\n \n"));
    }

    @Test
    void aCsvRecordBecomesOneJsonObjectKeyedByColumn() {
        List<String> rows = ImportFile.csvRows("\uFEFFfirstName, email ,tags\r\nAda,ada@example.com,vip;beta\r\n\r\nBob,,\n");
        assertEquals(2, rows.size());
        assertEquals(Map.of("firstName", "Ada", "email", "ada@example.com", "tags", "vip;beta"), Json.parse(rows.get(0)));
        assertEquals(Map.of("firstName", "Bob"), Json.parse(rows.get(1)), "empty cells are absent");
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        assertEquals(List.of(List.of("a", "b"), List.of("x, y", "say \"hi\"\nthere")),
                ImportFile.parseCsv("a,b\n\"x, y\",\"say \"\"hi\"\"\nthere\"\n"));
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.parseCsv("a\n\"open"));
    }

    @Test
    void aBadHeaderRejectsTheFileAtOnce() {
        var unknown = assertThrows(ImportFile.Unreadable.class, () -> ImportFile.csvRows("firstName,shoeSize\nAda,38\n"));
        assertTrue(unknown.getMessage().contains("unknown column 'shoeSize' (column 2)"));
        var twice = assertThrows(ImportFile.Unreadable.class, () -> ImportFile.csvRows("email,email\na,b\n"));
        assertTrue(twice.getMessage().contains("appears twice"));
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.csvRows(""));
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.csvRows("email\n"));
        assertEquals(1, ImportFile.csvRows("attributes.tier\ngold\n").size());
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.csvRows("attributes.9x\ngold\n"));
    }

    @Test
    void moreCellsThanColumnsIsMarkedForTheRowsCheck() {
        assertEquals(Map.of("email", "a@example.com", "_extraCells", 1L),
                Json.parse(ImportFile.csvRows("email\na@example.com,surplus\n").get(0)));
    }

    @Test
    void thereIsARowLimit() {
        String many = "{}\n".repeat(ImportFile.MAX_ROWS + 1);
        assertThrows(ImportFile.Unreadable.class, () -> ImportFile.ndjsonRows(many));
        assertEquals(ImportFile.MAX_ROWS, ImportFile.ndjsonRows("{}\n".repeat(ImportFile.MAX_ROWS)).size());
    }

    @Test
    void aCsvRowReadsTagsAndAttributesFromText() {
        Object row = ImportFile.rowObject("{\"tags\": \"vip; beta;;\", \"attributes.tier\": \"gold\", \"email\": \"a@example.com\"}", true);
        assertEquals(Map.of("tags", List.of("vip", "beta"), "attributes", Map.of("tier", "gold"), "email", "a@example.com"), row);
        // NDJSON rows are taken as they are
        assertEquals(Map.of("tags", "vip; beta"), ImportFile.rowObject("{\"tags\": \"vip; beta\"}", false));
        assertEquals(List.of(1L), ImportFile.rowObject("[1]", true));
    }
}
