package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The grouping's index gives equal keys one index and distinct keys their own, across its growth. */
class KeyIndexTest {
    private record Key(int x, double first, double second) {}

    @Test
    void indexesAsAMapOfRecordKeysGroups() {
        SplittableRandom random = new SplittableRandom(3);
        KeyIndex index = new KeyIndex();
        Map<Key, Integer> expected = new HashMap<>();
        List<Key> inOrder = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            // few distinct values per component, as days / 7 are: many repeats, many keys sharing parts
            Key k = new Key(random.nextInt(40), random.nextInt(60) / 7.0, random.nextInt(365) / 7.0);
            Integer known = expected.get(k);
            int got = index.indexOf(k.x(), k.first(), k.second());
            if (known == null) {
                assertEquals(expected.size(), got, "a new key takes the next index");
                expected.put(k, got);
                inOrder.add(k);
            } else {
                assertEquals(known, got);
            }
        }
        assertEquals(expected.size(), index.size());
        for (int i = 0; i < inOrder.size(); i++) {
            Key k = inOrder.get(i);
            assertEquals(k, new Key(index.x(i), index.first(i), index.second(i)));
        }
    }
}
