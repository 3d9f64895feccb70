package io.dicomspanner.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The standard data dictionary (PS3.6, PS3.7 command elements): keyword ↔ tag ↔ VR ↔ VM.
 *
 * <p>Loaded once from {@code dictionary.tsv}, which {@code dicom/tools/gen-dictionary.py} generates from dcmtk's
 * {@code dicom.dic}. Tags outside the dictionary are reported as {@link VR#UN}; private creator elements as LO and
 * group lengths as UL, by rule (PS3.5 §7.8.1, §7.2).
 */
public final class ElementDictionary {

    /** One dictionary entry. {@code tag} is the first tag of a repeating group or range. */
    public record Entry(int tag, VR vr, String keyword, String vm, boolean retired) {}

    private static final ElementDictionary STANDARD = load();

    private final Map<Integer, Entry> byTag;
    private final Map<String, Entry> byKeyword;
    /** Entries with 'x' digits: a mask that clears the varying digits, and the masked tag to compare. */
    private final List<long[]> maskedTags;

    private final List<Entry> maskedEntries;

    private ElementDictionary(List<Entry> exact, List<long[]> masks, List<Entry> maskedEntries) {
        this.byTag = new HashMap<>(exact.size() * 2);
        this.byKeyword = new HashMap<>((exact.size() + maskedEntries.size()) * 2);
        for (Entry e : exact) {
            byTag.put(e.tag(), e);
            byKeyword.put(e.keyword(), e);
        }
        for (Entry e : maskedEntries) {
            byKeyword.putIfAbsent(e.keyword(), e);
        }
        this.maskedTags = masks;
        this.maskedEntries = maskedEntries;
    }

    public static ElementDictionary standard() {
        return STANDARD;
    }

    /** The entry for a tag, or {@code null} if the standard does not define it. */
    public Entry entry(int tag) {
        Entry e = byTag.get(tag);
        if (e != null) {
            return e;
        }
        for (int i = 0; i < maskedTags.size(); i++) {
            long[] m = maskedTags.get(i);
            if ((tag & (int) m[0]) == (int) m[1]) {
                return maskedEntries.get(i);
            }
        }
        return null;
    }

    /** The VR an implicit-VR reader assumes for a tag: dictionary VR, UL for group lengths, LO for private creators. */
    public VR vrOf(int tag) {
        if (Tag.isGroupLength(tag)) {
            return VR.UL;
        }
        if (Tag.isPrivate(tag)) {
            int el = Tag.element(tag);
            return el >= 0x10 && el <= 0xFF ? VR.LO : VR.UN;
        }
        Entry e = entry(tag);
        return e != null ? e.vr() : VR.UN;
    }

    /** The keyword of a tag, or {@code null} for private and unknown tags. */
    public String keywordOf(int tag) {
        if (Tag.isPrivate(tag)) {
            return null;
        }
        Entry e = entry(tag);
        return e != null ? e.keyword() : null;
    }

    /** The tag named by a keyword (case-sensitive, as PS3.6 spells it), or -1. */
    public int tagOf(String keyword) {
        Entry e = byKeyword.get(keyword);
        return e != null ? e.tag() : -1;
    }

    /** The entry named by a keyword, or {@code null}. */
    public Entry entryOf(String keyword) {
        return byKeyword.get(keyword);
    }

    /** All exact entries and the first tag of each repeating group, in no particular order. */
    public Iterable<Entry> entries() {
        List<Entry> all = new ArrayList<>(byTag.values());
        all.addAll(maskedEntries);
        return all;
    }

    private static ElementDictionary load() {
        InputStream in = ElementDictionary.class.getResourceAsStream("dictionary.tsv");
        Objects.requireNonNull(in, "dictionary.tsv missing from the class path");
        List<Entry> exact = new ArrayList<>(5000);
        List<long[]> masks = new ArrayList<>();
        List<Entry> maskedEntries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String pattern = f[0];
                VR vr = VR.valueOf(f[1]);
                boolean retired = "R".equals(f[4]);
                if (pattern.indexOf('x') < 0) {
                    exact.add(new Entry(Tag.parseHex(pattern), vr, f[2], f[3], retired));
                } else {
                    int tag = Tag.parseHex(pattern.replace('x', '0'));
                    int mask = Tag.parseHex(pattern.replaceAll("[0-9A-F]", "F").replace('x', '0'));
                    masks.add(new long[] {mask, tag});
                    maskedEntries.add(new Entry(tag, vr, f[2], f[3], retired));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ElementDictionary(exact, masks, maskedEntries);
    }
}
