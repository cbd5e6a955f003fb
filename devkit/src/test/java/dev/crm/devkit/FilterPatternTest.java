package dev.crm.devkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    private final Map<String, Object> record = json("""
            {"eventName":"INSERT","dynamodb":{"NewImage":{"entity":{"S":"JOB"},"jobKind":{"S":"deprovision"},
             "status":{"S":"queued"},"PK":{"S":"OPS#JOB#x"}}}}""");

    @Test
    void exactValuesInNestedObjects() {
        assertTrue(FilterPattern.matches(json("""
                {"dynamodb":{"NewImage":{"entity":{"S":["JOB"]},"jobKind":{"S":["deprovision"]},"status":{"S":["queued"]}}}}"""),
                record));
        assertFalse(FilterPattern.matches(json("""
                {"dynamodb":{"NewImage":{"jobKind":{"S":["export"]}}}}"""), record));
        assertFalse(FilterPattern.matches(json("""
                {"dynamodb":{"OldImage":{"jobKind":{"S":["deprovision"]}}}}"""), record));
    }

    @Test
    void alternativesPrefixExistsAndAnythingBut() {
        assertTrue(FilterPattern.matches(json("{\"eventName\":[\"MODIFY\",\"INSERT\"]}"), record));
        assertTrue(FilterPattern.matches(json("{\"dynamodb\":{\"NewImage\":{\"PK\":{\"S\":[{\"prefix\":\"OPS#\"}]}}}}"), record));
        assertTrue(FilterPattern.matches(json("{\"dynamodb\":{\"NewImage\":{\"leaseOwner\":[{\"exists\":false}]}}}"), record));
        assertFalse(FilterPattern.matches(json("{\"dynamodb\":{\"NewImage\":{\"entity\":[{\"exists\":false}]}}}"), record));
        assertTrue(FilterPattern.matches(json("{\"eventName\":[{\"anything-but\":[\"REMOVE\"]}]}"), record));
        assertFalse(FilterPattern.matches(json("{\"eventName\":[{\"anything-but\":\"INSERT\"}]}"), record));
    }

    @Test
    void anAbsentAttributeMatchesExistsFalseOnItsTypedLeaf() {
        String pattern = "{\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[\"JOB\"]},\"importJob\":{\"S\":[{\"exists\":false}]}}}}";
        assertTrue(FilterPattern.matches(json(pattern), record), "no importJob: delivered");
        assertFalse(FilterPattern.matches(json(pattern), json("""
                {"eventName":"INSERT","dynamodb":{"NewImage":{"entity":{"S":"JOB"},"importJob":{"S":"cnimp_1"}}}}""")),
                "an imported item: filtered out");
        // an absent object still fails a value it must have
        assertFalse(FilterPattern.matches(json("{\"dynamodb\":{\"OldImage\":{\"status\":{\"S\":[\"queued\"]}}}}"), record));
    }
}
