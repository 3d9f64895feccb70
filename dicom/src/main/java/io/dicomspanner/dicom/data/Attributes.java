package io.dicomspanner.dicom.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A DICOM data set: attributes sorted by tag, each with a VR and a value.
 *
 * <p>A value is held as it arrived until someone asks for it: {@code byte[]} as on the wire (text in the data set's
 * character set, binary little-endian, possibly padded), or {@code String} / {@code String[]} once set from Java, a
 * {@link Sequence}, {@link Fragments}, or {@code null} for an empty (zero-length) value. Keeping wire bytes makes
 * decoding and re-encoding a C-FIND identifier cheap: text is only decoded when read.
 *
 * <p>Not thread-safe; a data set is owned by one task at a time.
 */
public final class Attributes {
    private static final int[] NO_TAGS = new int[0];
    private static final VR[] NO_VRS = new VR[0];
    private static final Object[] NO_VALUES = new Object[0];
    private static final String[] NO_STRINGS = new String[0];

    private final Attributes parent;
    private int[] tags = NO_TAGS;
    private VR[] vrs = NO_VRS;
    private Object[] values = NO_VALUES;
    private int size;
    private SpecificCharacterSet charset;

    public Attributes() {
        this(null);
    }

    Attributes(Attributes parent) {
        this.parent = parent;
    }

    /** An empty data set with room for {@code capacity} attributes before it grows. */
    Attributes(Attributes parent, int capacity) {
        this.parent = parent;
        if (capacity > 0) {
            tags = new int[capacity];
            vrs = new VR[capacity];
            values = new Object[capacity];
        }
    }

    /** A deep copy of {@code other}, without parent. */
    public static Attributes copyOf(Attributes other) {
        Attributes a = new Attributes();
        a.addAll(other);
        return a;
    }

    /** The data set holding the sequence this item belongs to, or {@code null} for a top-level data set. */
    public Attributes parent() {
        return parent;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** The tag at position {@code i} in ascending tag order. */
    public int tagAt(int i) {
        Objects.checkIndex(i, size);
        return tags[i];
    }

    public VR vrAt(int i) {
        Objects.checkIndex(i, size);
        return vrs[i];
    }

    /** The raw value at position {@code i}: byte[], String, String[], Sequence, Fragments or null. */
    public Object valueAt(int i) {
        Objects.checkIndex(i, size);
        return values[i];
    }

    /** The VR of a present attribute, or {@code null}. */
    public VR vrOf(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? vrs[i] : null;
    }

    /** The raw value of a present attribute (see class comment), or {@code null} if absent or empty. */
    public Object getValue(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? values[i] : null;
    }

    /** True if the attribute is present with a zero-length value. */
    public boolean isEmptyValue(int tag) {
        int i = indexOf(tag);
        return i >= 0 && isEmptyValue(values[i]);
    }

    static boolean isEmptyValue(Object v) {
        return v == null
                || (v instanceof byte[] b && b.length == 0)
                || (v instanceof String s && s.isEmpty())
                || (v instanceof String[] a && a.length == 0)
                || (v instanceof Sequence sq && sq.isEmpty());
    }

    /** The character set in force for this data set: its own (0008,0005), else the enclosing data set's. */
    public SpecificCharacterSet specificCharacterSet() {
        if (charset != null) {
            return charset;
        }
        int i = indexOf(Tag.SPECIFIC_CHARACTER_SET);
        if (i >= 0) {
            // The defined terms are ASCII, read as CS whatever VR a peer declared: as UN or OB they have no string
            // form, and as LO or PN they would need the character set being worked out here.
            Object v = values[i];
            String[] terms = v instanceof byte[] || v instanceof String || v instanceof String[]
                    ? toStrings(VR.CS, v)
                    : NO_STRINGS;
            charset = SpecificCharacterSet.valueOf(terms);
            return charset;
        }
        return parent != null ? parent.specificCharacterSet() : SpecificCharacterSet.DEFAULT;
    }

    /** First value of a text or numeric attribute, without padding; {@code null} if absent or empty. */
    public String getString(int tag) {
        String[] s = getStrings(tag);
        return s.length > 0 ? s[0] : null;
    }

    /**
     * All values of an attribute as strings, without padding. Empty array if absent or empty. Binary numbers are
     * rendered in Java's decimal form; AT as eight hex digits.
     *
     * @throws IllegalArgumentException for a non-empty byte stream (O* VRs, UN), which has no string form: a caller
     *     reading a data set from the wire checks the VR first, since a peer may declare any VR for any tag
     */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return NO_STRINGS;
        }
        return toStrings(vrs[i], values[i]);
    }

    private String[] toStrings(VR vr, Object v) {
        if (v == null) {
            return NO_STRINGS;
        }
        if (v instanceof String s) {
            return s.isEmpty() ? NO_STRINGS : new String[] {s};
        }
        if (v instanceof String[] a) {
            return a.clone();
        }
        if (v instanceof byte[] b) {
            if (b.length == 0) {
                return NO_STRINGS;
            }
            if (vr.isText()) {
                SpecificCharacterSet cs =
                        vr.kind() == VR.Kind.STRING ? SpecificCharacterSet.DEFAULT : specificCharacterSet();
                String decoded = cs.decode(b, 0, b.length, vr);
                return TextValues.split(decoded, vr);
            }
            return BinaryValues.toStrings(vr, b);
        }
        throw new IllegalStateException(vr + " value of type " + v.getClass().getSimpleName() + " is not text");
    }

    /** Raw bytes of a binary attribute (little-endian), or the encoded bytes of a text one; {@code null} if absent. */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        if (i < 0 || values[i] == null) {
            return null;
        }
        Object v = values[i];
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String || v instanceof String[]) {
            return encodeText(vrs[i], v, specificCharacterSet());
        }
        throw new IllegalStateException(Tag.toString(tag) + " has no byte value");
    }

    /** First value of an integer attribute (US, SS, UL, SL, IS, or AT as int), or {@code defaultValue}. */
    public int getInt(int tag, int defaultValue) {
        int i = indexOf(tag);
        if (i < 0 || isEmptyValue(values[i])) {
            return defaultValue;
        }
        Object v = values[i];
        if (v instanceof byte[] b && vrs[i].kind() == VR.Kind.BINARY) {
            // a peer may send fewer bytes than one value of its VR (a 1-byte US): no value, as getStrings sees it
            return b.length < vrs[i].binaryValueSize() ? defaultValue : BinaryValues.intAt(vrs[i], b, 0);
        }
        String s = getString(tag);
        try {
            return s == null ? defaultValue : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    public Sequence getSequence(int tag) {
        int i = indexOf(tag);
        return i >= 0 && values[i] instanceof Sequence s ? s : null;
    }

    /** Sets the wire bytes of an attribute (text in this data set's charset, binary little-endian). */
    public Attributes setBytes(int tag, VR vr, byte[] value) {
        put(tag, vr, value == null || value.length == 0 ? null : value);
        return this;
    }

    /** Sets a text attribute; several values are joined with backslash on encoding. No values = empty value. */
    public Attributes setString(int tag, VR vr, String... values) {
        Object v;
        if (values == null || values.length == 0) {
            v = null;
        } else if (values.length == 1) {
            v = values[0] == null || values[0].isEmpty() ? null : values[0];
        } else {
            v = values.clone();
        }
        if (!vr.isText()) {
            v = v == null ? null : BinaryValues.fromStrings(vr, values);
        }
        put(tag, vr, v);
        if (tag == Tag.SPECIFIC_CHARACTER_SET) {
            charset = null;
        }
        return this;
    }

    /** Sets a text attribute with the VR from the dictionary. */
    public Attributes setString(int tag, String... values) {
        return setString(tag, ElementDictionary.standard().vrOf(tag), values);
    }

    /** Sets integer values: binary for US/SS/UL/SL, decimal text for IS. */
    public Attributes setInt(int tag, VR vr, int... ints) {
        if (vr == VR.IS || vr == VR.DS) {
            String[] s = new String[ints.length];
            for (int k = 0; k < ints.length; k++) {
                s[k] = Integer.toString(ints[k]);
            }
            return setString(tag, vr, s);
        }
        put(tag, vr, BinaryValues.fromInts(vr, ints));
        return this;
    }

    /** Adds a present-but-empty attribute (a universal-match key in a C-FIND request). */
    public Attributes setNull(int tag, VR vr) {
        put(tag, vr, vr == VR.SQ ? new Sequence(this) : null);
        return this;
    }

    /** Creates (or replaces) an SQ attribute and returns its empty item list. */
    public Sequence newSequence(int tag) {
        Sequence sq = new Sequence(this);
        put(tag, VR.SQ, sq);
        return sq;
    }

    /** Sets encapsulated pixel data. */
    public Attributes setFragments(int tag, VR vr, Fragments fragments) {
        put(tag, vr, fragments);
        return this;
    }

    /** Removes an attribute; returns true if it was present. */
    public boolean remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(vrs, i + 1, vrs, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        values[size] = null;
        if (tag == Tag.SPECIFIC_CHARACTER_SET) {
            charset = null;
        }
        return true;
    }

    /**
     * Copies every attribute of {@code other} into this data set (replacing same tags). Text held as wire bytes is
     * re-decoded when the two data sets' character sets differ, so the copy means the same.
     */
    public Attributes addAll(Attributes other) {
        boolean sameCharset = other.specificCharacterSet().equals(specificCharacterSet())
                || other.contains(Tag.SPECIFIC_CHARACTER_SET);
        for (int i = 0; i < other.size; i++) {
            copyFrom(other, i, sameCharset);
        }
        return this;
    }

    /** Copies one attribute of {@code other} (if present) into this data set. */
    public Attributes copyFrom(Attributes other, int tag) {
        int i = other.indexOf(tag);
        if (i >= 0) {
            copyFrom(other, i, other.specificCharacterSet().equals(specificCharacterSet()));
        }
        return this;
    }

    private void copyFrom(Attributes other, int i, boolean sameCharset) {
        int tag = other.tags[i];
        VR vr = other.vrs[i];
        Object v = other.values[i];
        if (v instanceof Sequence sq) {
            Sequence copy = newSequence(tag);
            for (Attributes item : sq.items()) {
                copy.addItem().addAll(item);
            }
        } else if (v instanceof byte[] b && vr.kind() == VR.Kind.TEXT_SPECIFIC_CHARSET && !sameCharset) {
            String[] s = other.toStrings(vr, b);
            put(tag, vr, s.length == 1 ? s[0] : s);
        } else if (v instanceof String[] a) {
            put(tag, vr, a.clone());
        } else {
            put(tag, vr, v);
        }
        if (tag == Tag.SPECIFIC_CHARACTER_SET) {
            charset = null;
        }
    }

    /** Appends or replaces; appending in ascending tag order (the reader's case) costs no search. */
    void put(int tag, VR vr, Object value) {
        int i;
        if (size == 0 || Integer.compareUnsigned(tags[size - 1], tag) < 0) {
            i = -(size + 1);
        } else {
            i = indexOf(tag);
        }
        if (i >= 0) {
            vrs[i] = vr;
            values[i] = value;
            return;
        }
        i = -(i + 1);
        if (size == tags.length) {
            int cap = Math.max(8, size * 2);
            tags = Arrays.copyOf(tags, cap);
            vrs = Arrays.copyOf(vrs, cap);
            values = Arrays.copyOf(values, cap);
        }
        if (i < size) {
            System.arraycopy(tags, i, tags, i + 1, size - i);
            System.arraycopy(vrs, i, vrs, i + 1, size - i);
            System.arraycopy(values, i, values, i + 1, size - i);
        }
        tags[i] = tag;
        vrs[i] = vr;
        values[i] = value;
        size++;
    }

    /** Binary search with tags compared as unsigned (FFFE,xxxx sorts last). */
    int indexOf(int tag) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Encodes a String or String[] text value in {@code cs}, joined with backslash, without padding. */
    static byte[] encodeText(VR vr, Object v, SpecificCharacterSet cs) {
        String s = v instanceof String[] a ? String.join("\\", a) : (String) v;
        return cs.encode(s, vr);
    }

    /**
     * Value equality: same tags, VRs and meaning. Text is compared decoded and without padding, so the same data set
     * read from the wire and built in Java compare equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Attributes other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (tags[i] != other.tags[i] || vrs[i] != other.vrs[i]) {
                return false;
            }
            Object a = values[i];
            Object b = other.values[i];
            if (isEmptyValue(a) || isEmptyValue(b)) {
                if (isEmptyValue(a) != isEmptyValue(b)) {
                    return false;
                }
            } else if (a instanceof Sequence || a instanceof Fragments) {
                if (!a.equals(b)) {
                    return false;
                }
            } else if (vrs[i].isText() || a instanceof String || a instanceof String[]) {
                if (!Arrays.equals(toStrings(vrs[i], a), other.toStrings(vrs[i], b))) {
                    return false;
                }
            } else if (!(a instanceof byte[] ab && b instanceof byte[] bb && Arrays.equals(ab, bb))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + tags[i];
        }
        return h;
    }

    /** One line per attribute, for tests and debugging; never log this for data sets holding PHI. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        toString(sb, "");
        return sb.toString();
    }

    private void toString(StringBuilder sb, String indent) {
        for (int i = 0; i < size; i++) {
            sb.append(indent)
                    .append(Tag.toString(tags[i]))
                    .append(' ')
                    .append(vrs[i])
                    .append(' ');
            Object v = values[i];
            if (v instanceof Sequence sq) {
                sb.append(sq.size()).append(" item(s)\n");
                for (Attributes item : sq.items()) {
                    sb.append(indent).append("  >item\n");
                    item.toString(sb, indent + "  >");
                }
                continue;
            } else if (v instanceof Fragments f) {
                sb.append(f.items().size()).append(" fragment(s)");
            } else if (v instanceof byte[] b && !vrs[i].isText() && vrs[i].binaryValueSize() == 0 && vrs[i] != VR.AT) {
                sb.append(b.length).append(" bytes");
            } else {
                sb.append('[').append(String.join("\\", toStrings(vrs[i], v))).append(']');
            }
            sb.append('\n');
        }
    }
}
