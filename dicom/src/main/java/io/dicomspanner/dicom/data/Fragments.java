package io.dicomspanner.dicom.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Encapsulated pixel data (PS3.5 §A.4): the basic offset table item followed by one item per fragment. */
public final class Fragments {
    private final List<byte[]> items = new ArrayList<>();

    public void add(byte[] item) {
        items.add(item);
    }

    public List<byte[]> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fragments f) || f.items.size() != items.size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!Arrays.equals(items.get(i), f.items.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (byte[] b : items) {
            h = 31 * h + Arrays.hashCode(b);
        }
        return h;
    }
}
