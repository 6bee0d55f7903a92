package dev.iotdm.protocol.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.firmware.internal.FirmwareTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the ASCII diagram in {@link FirmwarePhase}'s Javadoc against {@link FirmwareTable}: the
 * diagram is read from the source file, its edges are traced from each arrowhead back to the box
 * they leave, each label is given to the edge nearest to it, and the labels are read with a small
 * glossary. Every transition that changes phase must be drawn, with its answer, status and effect
 * as labelled; every transition not drawn must keep the phase, and a request not drawn must be
 * refused with 400 changing nothing, as the Javadoc says.
 */
class FirmwareTableTest {

    private static final Path SOURCE = Path.of("src/main/java/dev/iotdm/protocol/firmware/FirmwarePhase.java");

    /** How the diagram names the inputs; the longest matching prefix wins. */
    private static final Map<String, FirmwareInput> GLOSSARY = Map.of(
            "download (usable image)", FirmwareInput.DOWNLOAD_REQUESTED,
            "download succeeded", FirmwareInput.DOWNLOAD_SUCCEEDED,
            "download failed", FirmwareInput.DOWNLOAD_FAILED,
            "update", FirmwareInput.UPDATE_REQUESTED,
            "install succeeded", FirmwareInput.INSTALL_SUCCEEDED,
            "install failed", FirmwareInput.INSTALL_FAILED,
            "new image", FirmwareInput.NEW_IMAGE,
            "image rejected", FirmwareInput.IMAGE_REJECTED);

    private static final Set<FirmwareInput> REQUESTS = Set.of(FirmwareInput.DOWNLOAD_REQUESTED,
            FirmwareInput.DOWNLOAD_REQUESTED_UNUSABLE_IMAGE, FirmwareInput.UPDATE_REQUESTED);

    record Box(String name, int top, int left, int bottom, int right) {
        boolean contains(int r, int c) {
            return r >= top && r <= bottom && c >= left && c <= right;
        }
    }

    record Edge(FirmwarePhase from, FirmwarePhase to, List<int[]> cells) {
    }

    record Drawn(FirmwarePhase from, FirmwareInput input, FirmwarePhase to, String label) {
    }

    private static List<String> grid;
    private static List<Box> boxes;
    private static List<Drawn> drawn;

    @BeforeAll
    static void readDiagram() throws IOException {
        Path file = Files.exists(SOURCE) ? SOURCE : Path.of("dm-protocol").resolve(SOURCE);
        grid = diagramLines(Files.readAllLines(file, StandardCharsets.UTF_8));
        boxes = findBoxes();
        List<Edge> edges = traceEdges();
        drawn = labelEdges(edges);
    }

    @Test
    void the_diagram_has_one_box_per_phase() {
        assertThat(boxes).extracting(Box::name).containsExactlyInAnyOrder(
                java.util.Arrays.stream(FirmwarePhase.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void every_drawn_edge_is_a_transition_of_the_table_with_the_labelled_answer_status_and_effect() {
        assertThat(drawn).isNotEmpty();
        for (Drawn d : drawn) {
            FirmwareTable.Transition t = FirmwareTable.transition(d.from(), d.input()).orElseThrow(
                    () -> new AssertionError("the diagram draws " + d + " but the table has no such transition"));
            assertThat(t.next()).as("target of %s", d).isEqualTo(d.to());

            Matcher rc = Pattern.compile("/ (\\d{3})").matcher(d.label());
            assertThat(t.answer().map(FirmwareTable.Answer::code)).as("answer of %s", d)
                    .isEqualTo(rc.find() ? Optional.of(Integer.parseInt(rc.group(1))) : Optional.empty());
            assertThat(t.status() == FirmwareTable.StatusChange.FROM_INPUT).as("(status) in %s", d)
                    .isEqualTo(d.label().contains("(status)"));
            assertThat(t.effect() == FirmwareTable.Effect.INSTALL_VERSION).as("fwVersion := version in %s", d)
                    .isEqualTo(d.label().contains("(fwVersion := version)"));
            assertThat(t.effect() == FirmwareTable.Effect.DISCARD_IMAGE_AND_STORE).as("discard in %s", d)
                    .isEqualTo(d.label().contains("/ discard"));
        }
    }

    @Test
    void every_transition_that_changes_phase_is_drawn() {
        Set<String> drawnKeys = new LinkedHashSet<>();
        drawn.forEach(d -> drawnKeys.add(d.from() + " " + d.input() + " " + d.to()));
        for (FirmwarePhase p : FirmwarePhase.values()) {
            for (FirmwareInput in : FirmwareInput.values()) {
                Optional<FirmwareTable.Transition> t = FirmwareTable.transition(p, in);
                if (t.isPresent() && t.get().next() != p) {
                    assertThat(drawnKeys).as("the table changes phase on %s in %s", in, p)
                            .contains(p + " " + in + " " + t.get().next());
                }
            }
        }
        assertThat(drawnKeys).hasSize(drawn.size()); // no edge drawn twice
    }

    @Test
    void a_transition_not_drawn_keeps_the_phase_and_a_request_not_drawn_is_refused_with_400() {
        for (FirmwarePhase p : FirmwarePhase.values()) {
            for (FirmwareInput in : FirmwareInput.values()) {
                boolean isDrawn = drawn.stream().anyMatch(d -> d.from() == p && d.input() == in);
                Optional<FirmwareTable.Transition> t = FirmwareTable.transition(p, in);
                if (isDrawn || t.isEmpty()) {
                    continue;
                }
                assertThat(t.get().next()).as("%s in %s is not drawn", in, p).isEqualTo(p);
                if (REQUESTS.contains(in)) {
                    assertThat(t.get()).as("%s in %s", in, p).isEqualTo(new FirmwareTable.Transition(p,
                            Optional.of(FirmwareTable.Answer.BAD_REQUEST), FirmwareTable.StatusChange.KEEP, FirmwareTable.Effect.NONE));
                }
            }
        }
    }

    @Test
    void every_request_has_an_answer_in_every_phase() {
        for (FirmwarePhase p : FirmwarePhase.values()) {
            for (FirmwareInput in : REQUESTS) {
                assertThat(FirmwareTable.transition(p, in)).as("%s in %s", in, p).isPresent()
                        .hasValueSatisfying(t -> assertThat(t.answer()).isPresent());
            }
        }
    }

    // ---- reading the diagram -------------------------------------------------------------------

    /** The lines between {@code <pre>{@code} and its end, without the leading {@code " * "}. */
    private static List<String> diagramLines(List<String> source) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String s : source) {
            if (s.contains("<pre>{@code")) {
                in = true;
            } else if (in && s.contains("}</pre>")) {
                break;
            } else if (in) {
                lines.add(s.startsWith(" * ") ? s.substring(3) : s.replaceFirst("^ \\*", ""));
            }
        }
        assertThat(lines).as("the <pre>{@code ...}</pre> diagram in %s", SOURCE).isNotEmpty();
        int width = lines.stream().mapToInt(String::length).max().orElse(0) + 2;
        lines.replaceAll(l -> l + " ".repeat(width - l.length()));
        return lines;
    }

    private static char at(int r, int c) {
        return r < 0 || r >= grid.size() || c < 0 || c >= grid.get(r).length() ? ' ' : grid.get(r).charAt(c);
    }

    private static List<Box> findBoxes() {
        List<Box> found = new ArrayList<>();
        Pattern name = Pattern.compile("\\|\\s+([A-Z]+)\\s+\\|");
        for (int r = 0; r < grid.size(); r++) {
            Matcher m = name.matcher(grid.get(r));
            while (m.find()) {
                int left = m.start();
                int right = m.end() - 1;
                for (int edgeRow : new int[] {r - 1, r + 1}) {
                    assertThat("" + at(edgeRow, left) + at(edgeRow, right)).as("corners of box %s", m.group(1))
                            .isEqualTo("++");
                }
                found.add(new Box(m.group(1), r - 1, left, r + 1, right));
            }
        }
        return found;
    }

    private static Optional<Box> boxAt(int r, int c) {
        return boxes.stream().filter(b -> b.contains(r, c)).findFirst();
    }

    /** Finds each arrowhead next to a box and follows the line back to the box it leaves. */
    private static List<Edge> traceEdges() {
        List<Edge> edges = new ArrayList<>();
        for (int r = 0; r < grid.size(); r++) {
            for (int c = 0; c < grid.get(r).length(); c++) {
                int[] dir = switch (at(r, c)) {
                    case '>' -> at(r, c - 1) == '-' ? new int[] {0, 1} : null;
                    case '<' -> at(r, c + 1) == '-' ? new int[] {0, -1} : null;
                    case 'v' -> at(r - 1, c) == '|' ? new int[] {1, 0} : null;
                    case '^' -> at(r + 1, c) == '|' ? new int[] {-1, 0} : null;
                    default -> null;
                };
                if (dir == null || boxAt(r, c).isPresent()) {
                    continue;
                }
                int row = r;
                int col = c;
                Box target = boxAt(row + dir[0], col + dir[1]).or(() -> boxAt(row + 2 * dir[0], col + 2 * dir[1]))
                        .orElseThrow(() -> new AssertionError("arrowhead at " + row + ":" + col + " points at no box"));
                edges.add(traceBack(row, col, new int[] {-dir[0], -dir[1]}, target));
            }
        }
        return edges;
    }

    private static Edge traceBack(int r, int c, int[] dir, Box target) {
        List<int[]> cells = new ArrayList<>();
        cells.add(new int[] {r, c});
        int[] d = dir;
        for (int steps = 0; steps < 10_000; steps++) {
            int nr = r + d[0];
            int nc = c + d[1];
            Optional<Box> box = boxAt(nr, nc);
            if (box.isEmpty() && at(nr, nc) == ' ') {
                box = boxAt(nr + d[0], nc + d[1]);
                if (box.isEmpty()) {
                    throw new AssertionError("the line towards " + target.name() + " breaks at " + nr + ":" + nc);
                }
            }
            if (box.isPresent()) {
                return new Edge(FirmwarePhase.valueOf(box.get().name()), FirmwarePhase.valueOf(target.name()), cells);
            }
            char ch = at(nr, nc);
            boolean horizontal = d[0] == 0;
            if (ch == '+') {
                int[][] turns = horizontal ? new int[][] {{1, 0}, {-1, 0}} : new int[][] {{0, 1}, {0, -1}};
                char wanted = horizontal ? '|' : '-';
                int[] next = null;
                for (int[] t : turns) {
                    if (at(nr + t[0], nc + t[1]) == wanted) {
                        assertThat(next).as("corner at %d:%d turns one way only", nr, nc).isNull();
                        next = t;
                    }
                }
                assertThat(next).as("corner at %d:%d continues", nr, nc).isNotNull();
                d = next;
            } else if (ch != (horizontal ? '-' : '|')) {
                throw new AssertionError("the line towards " + target.name() + " breaks at " + nr + ":" + nc
                        + " ('" + ch + "')");
            }
            r = nr;
            c = nc;
            cells.add(new int[] {r, c});
        }
        throw new AssertionError("the line towards " + target.name() + " does not end");
    }

    /** Gives each label (words separated by single spaces) to the nearest edge; reads it with the glossary. */
    private static List<Drawn> labelEdges(List<Edge> edges) {
        Set<String> onLines = new LinkedHashSet<>();
        edges.forEach(e -> e.cells().forEach(p -> onLines.add(p[0] + ":" + p[1])));
        Map<Edge, TreeMap<Integer, String>> labels = new LinkedHashMap<>();
        edges.forEach(e -> labels.put(e, new TreeMap<>()));
        Pattern run = Pattern.compile("\\S+(?: \\S+)*");
        for (int r = 0; r < grid.size(); r++) {
            Matcher m = run.matcher(grid.get(r));
            while (m.find()) {
                int row = r;
                int start = m.start();
                StringBuilder text = new StringBuilder();
                for (int c = m.start(); c < m.end(); c++) {
                    boolean part = boxAt(r, c).isEmpty() && !onLines.contains(r + ":" + c);
                    if (part) {
                        if (text.length() == 0) {
                            start = c;
                        }
                        text.append(at(r, c));
                    }
                }
                String label = text.toString().strip();
                if (label.isEmpty()) {
                    continue;
                }
                int from = start;
                int to = start + label.length() - 1;
                List<Edge> byDistance = new ArrayList<>(edges);
                byDistance.sort(Comparator.comparingInt(e -> distance(e, row, from, to)));
                Edge nearest = byDistance.get(0);
                assertThat(distance(byDistance.get(1), row, from, to)).as("label '%s' is nearest to one edge", label)
                        .isGreaterThan(distance(nearest, row, from, to));
                labels.get(nearest).put(row, label);
            }
        }
        List<Drawn> result = new ArrayList<>();
        labels.forEach((edge, parts) -> {
            String label = String.join(" ", parts.values());
            FirmwareInput input = GLOSSARY.entrySet().stream().filter(g -> label.startsWith(g.getKey()))
                    .max(Comparator.comparingInt(g -> g.getKey().length())).map(Map.Entry::getValue)
                    .orElseThrow(() -> new AssertionError("edge " + edge.from() + " -> " + edge.to()
                            + " has no label the glossary knows: '" + label + "'"));
            result.add(new Drawn(edge.from(), input, edge.to(), label));
        });
        return result;
    }

    private static int distance(Edge e, int row, int from, int to) {
        int best = Integer.MAX_VALUE;
        for (int[] p : e.cells()) {
            int dc = p[1] < from ? from - p[1] : p[1] > to ? p[1] - to : 0;
            best = Math.min(best, Math.abs(p[0] - row) + dc);
        }
        return best;
    }
}
