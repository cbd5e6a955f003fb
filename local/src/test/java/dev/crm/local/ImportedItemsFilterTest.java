package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.FilterPattern;
import dev.crm.devkit.SamTemplate;
import dev.crm.shared.json.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An import is history, not news (docs/api.md): the items an import writes carry {@code importJob}, and
 * the template's stream filters keep them from the functions that would announce them or act on them,
 * so a 100,000-line import does not invoke those functions for nothing. Each item is matched against
 * every DynamoDB trigger of the template, live and imported; the decoders' own skips stay as a second
 * guard. The local runner delivers by the same matcher (StreamPump).
 */
class ImportedItemsFilterTest {
    private final SamTemplate template = SamTemplate.load();

    /** The functions whose stream filters admit this record. */
    private TreeSet<String> started(String newImage) {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) Json.parse(
                "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":" + newImage + "}}");
        TreeSet<String> out = new TreeSet<>();
        for (SamTemplate.Function f : template.functions()) {
            for (var ev : f.events().values()) {
                if (!"DynamoDB".equals(ev.get("Type"))) {
                    continue;
                }
                if (FilterPattern.admits(FilterPattern.patternsOf(SamTemplate.map(ev.get("Properties"))), record)) {
                    out.add(f.logicalId());
                }
            }
        }
        return out;
    }

    private static String imported(String image) {
        return image.substring(0, image.length() - 1) + ",\"importJob\":{\"S\":\"imp_1\"}}";
    }

    @Test
    void importedItemsStartNoFunctionThatLiveOnesStart() {
        String purchase = "{\"PK\":{\"S\":\"t_1#C#c_1\"},\"SK\":{\"S\":\"T#1#interaction#i_1\"},\"entity\":{\"S\":\"TIMELINE\"},"
                + "\"kind\":{\"S\":\"interaction\"},\"interactionType\":{\"S\":\"purchase\"}}";
        String complaint = purchase.replace("\"purchase\"", "\"complaint\"");
        String ledger = "{\"PK\":{\"S\":\"t_1#C#c_1\"},\"SK\":{\"S\":\"L#1\"},\"entity\":{\"S\":\"CONSENT_LEDGER\"}}";
        String response = "{\"PK\":{\"S\":\"t_1#SURVEY#s_1\"},\"SK\":{\"S\":\"R#1\"},\"entity\":{\"S\":\"SURVEY_RESPONSE\"}}";

        // live: each reaches its consumers (the names say which)
        assertEquals(List.of("ContactEventsFunction"), List.copyOf(started(purchase)));
        assertEquals(List.of("ComplaintCaseOpenerFunction", "ContactEventsFunction"), List.copyOf(started(complaint)));
        assertEquals(List.of("PreferenceEventsFunction"), List.copyOf(started(ledger)));
        assertEquals(List.of("SurveyEventsFunction"), List.copyOf(started(response)));
        // imported: none
        for (String image : List.of(purchase, complaint, ledger, response)) {
            assertEquals(List.of(), List.copyOf(started(imported(image))), image);
        }
    }
}
