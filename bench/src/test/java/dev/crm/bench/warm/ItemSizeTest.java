package dev.crm.bench.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemSizeTest {
    @Test
    void namesAndValuesAddUp() {
        assertEquals(2 + 3 + 2 + 1, ItemSize.of(Map.of("PK", AttributeValue.fromS("abc"), "SK", AttributeValue.fromS("#"))));
        assertEquals(1 + 1, ItemSize.of(Map.of("b", AttributeValue.fromBool(true))));
        assertEquals(1 + 3 + (1 + 1) + (1 + 2), ItemSize.of(Map.of("l",
                AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromS("yz"))))));
        assertEquals(1 + 3 + (1 + 1 + 1), ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))))));
    }

    @Test
    void numbersTakeAboutOneBytePerTwoDigits() {
        assertEquals(2, ItemSize.number("1"));
        assertEquals(2, ItemSize.number("10"));
        assertEquals(3, ItemSize.number("123"));
        assertEquals(4, ItemSize.number("-12.345"));
    }

    @Test
    void transactionalWritesCostTwoUnitsPerStartedKilobyte() {
        assertEquals(2.0, ItemSize.transactionalWriteUnits(0));
        assertEquals(2.0, ItemSize.transactionalWriteUnits(1024));
        assertEquals(4.0, ItemSize.transactionalWriteUnits(1025));
    }
}
