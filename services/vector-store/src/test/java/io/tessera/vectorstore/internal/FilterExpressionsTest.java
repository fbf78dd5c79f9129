package io.tessera.vectorstore.internal;

import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SegmentScope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterExpressionsTest {

    @Test
    void literalEscapesQuotesAndBackslashes() {
        assertEquals("\"plain\"", FilterExpressions.literal("plain"));
        assertEquals("\"a\\\"b\"", FilterExpressions.literal("a\"b"));
        assertEquals("\"a\\\\b\"", FilterExpressions.literal("a\\b"));
        assertEquals("\"a\\\\\\\"b\"", FilterExpressions.literal("a\\\"b"));
        assertEquals("\"l1\\nl2\\t\\r\"", FilterExpressions.literal("l1\nl2\t\r"));
        assertEquals("\"it's\"", FilterExpressions.literal("it's"), "single quotes need no escape inside double quotes");
        assertEquals("\"ünï €\"", FilterExpressions.literal("ünï €"));
    }

    @Test
    void literalRefusesControlCharactersMilvusCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> FilterExpressions.literal("a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> FilterExpressions.literal("a\u001bb"));
    }

    @Test
    void tenantInjectionStaysOneLiteral() {
        String hostile = "A\" || tenant == \"B";
        String expr = FilterExpressions.search(hostile, Set.of(), SegmentScope.ALL);
        assertEquals("(tenant == \"A\\\" || tenant == \\\"B\")", expr);
        assertEquals(List.of("(", "tenant", "==", "S:" + hostile, ")"), MilvusLexer.tokens(expr));
    }

    @Test
    void searchFilterAlwaysStartsWithTheTenantAndParenthesisesEveryClause() {
        String expr = FilterExpressions.search("acme", Set.of("VIDEO", "IMAGE"), SegmentScope.WHOLE_ITEMS);
        assertEquals("(tenant == \"acme\") && (modality in [\"IMAGE\", \"VIDEO\"]) && (segment == -1)", expr);
        assertEquals("(tenant == \"acme\") && (segment >= 0)", FilterExpressions.search("acme", Set.of(), SegmentScope.SEGMENTS));
    }

    @Test
    void randomHostileValuesNeverChangeTheShapeOfTheExpression() {
        Random random = new Random(2024);
        String alphabet = "ab\"\\'()[]|&=! \n\t\r,#-tenant";
        for (int n = 0; n < 5_000; n++) {
            String tenant = randomString(random, alphabet);
            String modality = randomString(random, alphabet);
            String expr = FilterExpressions.search(tenant, Set.of(modality), SegmentScope.ALL);
            assertEquals(List.of("(", "tenant", "==", "S:" + tenant, ")", "&&", "(", "modality", "in", "[", "S:" + modality, "]", ")"),
                    MilvusLexer.tokens(expr), () -> "expression " + expr);
        }
    }

    @Test
    void rowFiltersCombineOnlyWhatIsSet() {
        assertEquals("", FilterExpressions.rows(RowFilter.all()));
        assertEquals("(tenant == \"t\") && (media_id == \"m\\\"\")",
                FilterExpressions.rows(RowFilter.tenant("t").andMediaId("m\"")));
        assertEquals("(media_id == \"m\")", FilterExpressions.rows(RowFilter.all().andMediaId("m")));
    }

    @Test
    void staleRowsKeepTheRowsJustWritten() {
        assertEquals("(media_id in [\"a\", \"b\"]) && (pk not in [\"a#-1\", \"b#-1\", \"b#0\"])",
                FilterExpressions.staleRows(List.of("a", "b"), List.of("a#-1", "b#-1", "b#0")));
        assertEquals("(tenant == \"t\") && (pk == \"m#-1\")", FilterExpressions.wholeItemRow("t", "m"));
    }

    private static String randomString(Random random, String alphabet) {
        int length = 1 + random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /**
     * An independent lexer following Milvus' (and Milvus Lite's) rules for string literals: double or single quotes,
     * escapes {@code \" \' \\ \n \r \t}, raw newlines not allowed. String tokens come out as {@code S:<decoded>}.
     */
    static final class MilvusLexer {
        static List<String> tokens(String s) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ') {
                    i++;
                } else if (c == '"' || c == '\'') {
                    StringBuilder value = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j >= s.length()) {
                            throw new IllegalStateException("unterminated literal in " + s);
                        }
                        char d = s.charAt(j);
                        if (d == c) {
                            break;
                        }
                        if (d == '\n' || d == '\r') {
                            throw new IllegalStateException("raw newline in literal in " + s);
                        }
                        if (d == '\\') {
                            char e = s.charAt(j + 1);
                            value.append(switch (e) {
                                case '"', '\'', '\\' -> e;
                                case 'n' -> '\n';
                                case 'r' -> '\r';
                                case 't' -> '\t';
                                default -> throw new IllegalStateException("unknown escape \\" + e + " in " + s);
                            });
                            j += 2;
                        } else {
                            value.append(d);
                            j++;
                        }
                    }
                    out.add("S:" + value);
                    i = j + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                    int j = i;
                    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '-')) {
                        j++;
                    }
                    out.add(s.substring(i, j));
                    i = j;
                } else if (s.startsWith("==", i) || s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith(">=", i)
                        || s.startsWith("!=", i)) {
                    out.add(s.substring(i, i + 2));
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
            return out;
        }
    }
}
