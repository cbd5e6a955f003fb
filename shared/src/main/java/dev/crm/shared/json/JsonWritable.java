package dev.crm.shared.json;

/** A value that knows its own JSON representation (a tree of maps, lists and scalars). */
public interface JsonWritable {
    Object toJson();
}
