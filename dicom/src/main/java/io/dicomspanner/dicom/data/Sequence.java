package io.dicomspanner.dicom.data;

import java.util.ArrayList;
import java.util.List;

/** The items of an SQ attribute. Each item's parent is the data set holding the sequence (for charset inheritance). */
public final class Sequence {
    private final Attributes parent;
    private final List<Attributes> items = new ArrayList<>();

    Sequence(Attributes parent) {
        this.parent = parent;
    }

    /** Appends a new empty item and returns it. */
    public Attributes addItem() {
        Attributes item = new Attributes(parent);
        items.add(item);
        return item;
    }

    /** Appends a copy of {@code item}. */
    public Attributes addCopy(Attributes item) {
        Attributes copy = addItem();
        copy.addAll(item);
        return copy;
    }

    public List<Attributes> items() {
        return java.util.Collections.unmodifiableList(items);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public Attributes get(int index) {
        return items.get(index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sequence s && items.equals(s.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return "Sequence" + items;
    }
}
