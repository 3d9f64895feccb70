package io.dicomspanner.simulator.data;

import java.util.List;
import java.util.Random;

/**
 * Patient and physician names of many origins, so that a fleet exercises Specific Character Set, PN component groups
 * and case-insensitive matching the way a European or Asian hospital's archive does: German, French, Spanish,
 * Swedish, Greek and Russian names in one group, Japanese names in three groups (alphabetic = ideographic =
 * phonetic), Korean and Chinese names in two or three, and English and Vietnamese names in ASCII.
 */
final class PersonNames {

    /** A name part in each component group it has: alphabetic, then ideographic and phonetic where they exist. */
    private record Part(String alphabetic, String ideographic, String phonetic) {
        static Part of(String alphabetic) {
            return new Part(alphabetic, "", "");
        }
    }

    /**
     * The names of one origin.
     *
     * @param weight how often the origin occurs, relative to the others
     * @param femaleFamilyNames family names of women where the language inflects them (Greek, Russian), else the same
     *     list as {@code familyNames}
     */
    private record Origin(
            int weight,
            List<Part> familyNames,
            List<Part> femaleFamilyNames,
            List<Part> maleGivenNames,
            List<Part> femaleGivenNames) {}

    private static List<Part> plain(String... names) {
        Part[] parts = new Part[names.length];
        for (int i = 0; i < names.length; i++) {
            parts[i] = Part.of(names[i]);
        }
        return List.of(parts);
    }

    private static final List<Origin> ORIGINS = List.of(
            new Origin(
                    24,
                    plain("Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Davis", "Clark", "Walker"),
                    plain("Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Davis", "Clark", "Walker"),
                    plain("John", "James", "Robert", "Michael", "David", "Thomas"),
                    plain("Mary", "Emily", "Sarah", "Linda", "Jane", "Rose")),
            new Origin(
                    20,
                    plain("Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Schröder", "Jäger", "Bäumer", "Schmidt"),
                    plain("Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Schröder", "Jäger", "Bäumer", "Schmidt"),
                    plain("Jürgen", "Günther", "Jörg", "Uwe", "Klaus", "Björn"),
                    plain("Anna-Lena", "Bärbel", "Käthe", "Jutta", "Sabine", "Marlies")),
            new Origin(
                    10,
                    plain("Lefèvre", "Dupré", "Lemaître", "Gérard", "Bérenger", "Moreau"),
                    plain("Lefèvre", "Dupré", "Lemaître", "Gérard", "Bérenger", "Moreau"),
                    plain("François", "Jérôme", "Noël", "Loïc", "Pierre"),
                    plain("Hélène", "Zoé", "Agnès", "Léa", "Céline")),
            new Origin(
                    9,
                    plain("García", "Núñez", "Peña", "Ibáñez", "Martínez", "López"),
                    plain("García", "Núñez", "Peña", "Ibáñez", "Martínez", "López"),
                    plain("José", "Raúl", "Andrés", "Jesús", "Carlos"),
                    plain("María", "Inés", "Lucía", "Begoña", "Elena")),
            new Origin(
                    5,
                    plain("Åström", "Sjöberg", "Lindqvist", "Bäckström", "Ødegård"),
                    plain("Åström", "Sjöberg", "Lindqvist", "Bäckström", "Ødegård"),
                    plain("Björn", "Örjan", "Göran", "Lars"),
                    plain("Åsa", "Märta", "Ingrid", "Sölvi")),
            new Origin(
                    5,
                    plain("Παπαδόπουλος", "Γεωργίου", "Νικολάου", "Οικονόμου"),
                    plain("Παπαδοπούλου", "Γεωργίου", "Νικολάου", "Οικονόμου"),
                    plain("Γιώργος", "Νίκος", "Δημήτρης", "Κώστας"),
                    plain("Ελένη", "Μαρία", "Σοφία", "Κατερίνα")),
            new Origin(
                    5,
                    plain("Иванов", "Смирнов", "Кузнецов", "Попов"),
                    plain("Иванова", "Смирнова", "Кузнецова", "Попова"),
                    plain("Алексей", "Дмитрий", "Сергей", "Иван"),
                    plain("Ольга", "Наталья", "Татьяна", "Ирина")),
            new Origin(
                    8,
                    List.of(
                            new Part("Yamada", "山田", "やまだ"),
                            new Part("Suzuki", "鈴木", "すずき"),
                            new Part("Tanaka", "田中", "たなか"),
                            new Part("Sato", "佐藤", "さとう"),
                            new Part("Takahashi", "高橋", "たかはし")),
                    List.of(
                            new Part("Yamada", "山田", "やまだ"),
                            new Part("Suzuki", "鈴木", "すずき"),
                            new Part("Tanaka", "田中", "たなか"),
                            new Part("Sato", "佐藤", "さとう"),
                            new Part("Takahashi", "高橋", "たかはし")),
                    List.of(
                            new Part("Tarou", "太郎", "たろう"),
                            new Part("Ichirou", "一郎", "いちろう"),
                            new Part("Kenji", "健二", "けんじ"),
                            new Part("Hiroshi", "博", "ひろし")),
                    List.of(
                            new Part("Hanako", "花子", "はなこ"),
                            new Part("Yuki", "由紀", "ゆき"),
                            new Part("Sakura", "桜", "さくら"),
                            new Part("Keiko", "恵子", "けいこ"))),
            new Origin(
                    5,
                    List.of(
                            new Part("Hong", "洪", "홍"),
                            new Part("Kim", "金", "김"),
                            new Part("Lee", "李", "이"),
                            new Part("Park", "朴", "박")),
                    List.of(
                            new Part("Hong", "洪", "홍"),
                            new Part("Kim", "金", "김"),
                            new Part("Lee", "李", "이"),
                            new Part("Park", "朴", "박")),
                    List.of(
                            new Part("Gildong", "吉洞", "길동"),
                            new Part("Minjun", "敏俊", "민준"),
                            new Part("Jiwoo", "智友", "지우")),
                    List.of(
                            new Part("Seoyeon", "瑞妍", "서연"),
                            new Part("Jiyoung", "智英", "지영"),
                            new Part("Hana", "河娜", "하나"))),
            new Origin(
                    5,
                    List.of(
                            new Part("Wang", "王", ""),
                            new Part("Li", "李", ""),
                            new Part("Zhang", "張", ""),
                            new Part("Chen", "陳", "")),
                    List.of(
                            new Part("Wang", "王", ""),
                            new Part("Li", "李", ""),
                            new Part("Zhang", "張", ""),
                            new Part("Chen", "陳", "")),
                    List.of(new Part("XiaoDong", "小東", ""), new Part("Wei", "偉", ""), new Part("Jun", "軍", "")),
                    List.of(new Part("Mei", "美", ""), new Part("XiuYing", "秀英", ""), new Part("Fang", "芳", ""))),
            new Origin(
                    4,
                    plain("Nguyen", "Tran", "Le", "Pham"),
                    plain("Nguyen", "Tran", "Le", "Pham"),
                    plain("Van An", "Minh", "Duc"),
                    plain("Thi Mai", "Lan", "Thu")));

    private static final int TOTAL_WEIGHT =
            ORIGINS.stream().mapToInt(Origin::weight).sum();

    /** Share of patients whose sex is recorded as O (other). */
    private static final double OTHER_SEX_SHARE = 0.005;

    /** Referring physicians: empty (present, no value, as Type 2 allows) is the most common value of all. */
    static final List<String> REFERRING_PHYSICIANS = List.of(
            "",
            "",
            "House^Gregory^^Dr.",
            "Weiß^Katrin^^Dr. med.",
            "Grey^Meredith",
            "Nakamura^Kenji=中村^健二=なかむら^けんじ",
            "Okafor^Chidi",
            "Lindström^Karin^^Dr.",
            "Dubois^Amélie");

    /** A generated patient's name and the sex that goes with it. */
    record Named(String patientName, String sex) {}

    private PersonNames() {}

    /** A name and sex drawn from {@code random}: an origin by weight, then a family and a given name. */
    static Named draw(Random random) {
        Origin origin = origin(random.nextInt(TOTAL_WEIGHT));
        boolean female = random.nextBoolean();
        List<Part> families = female ? origin.femaleFamilyNames() : origin.familyNames();
        List<Part> givens = female ? origin.femaleGivenNames() : origin.maleGivenNames();
        Part family = families.get(random.nextInt(families.size()));
        Part given = givens.get(random.nextInt(givens.size()));
        String sex = random.nextDouble() < OTHER_SEX_SHARE ? "O" : female ? "F" : "M";
        return new Named(personName(family, given), sex);
    }

    private static Origin origin(int draw) {
        int left = draw;
        for (Origin o : ORIGINS) {
            if (left < o.weight()) {
                return o;
            }
            left -= o.weight();
        }
        throw new IllegalStateException("draw beyond the total weight: " + draw);
    }

    /** "Family^Given", with "=ideographic" and "=phonetic" groups where the parts have them. */
    private static String personName(Part family, Part given) {
        StringBuilder pn = new StringBuilder(family.alphabetic()).append('^').append(given.alphabetic());
        if (!family.ideographic().isEmpty()) {
            pn.append('=').append(family.ideographic()).append('^').append(given.ideographic());
            if (!family.phonetic().isEmpty()) {
                pn.append('=').append(family.phonetic()).append('^').append(given.phonetic());
            }
        }
        return pn.toString();
    }
}
