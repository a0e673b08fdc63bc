package memdb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Rows under a header, printed in aligned columns (two spaces apart, the last column unpadded) for
 * {@code -o table}/{@code text}, or tab-separated without the header for {@code -o raw}. Cells are text
 * already escaped for a terminal.
 */
record Table(List<String> header, List<List<String>> rows) {
    Table {
        header = List.copyOf(header);
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells for " + header.size() + " columns");
            }
        }
        rows = List.copyOf(rows);
    }

    static Table of(List<String> header) {
        return new Table(header, List.of());
    }

    Table withRow(List<String> row) {
        List<List<String>> more = new ArrayList<>(rows);
        more.add(row);
        return new Table(header, more);
    }

    /** Aligned columns under a bold header; {@code cellStyle} may colour a cell (column index, text). */
    String aligned(Style style, BiFunction<Integer, String, String> cellStyle) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        StringBuilder text = new StringBuilder();
        appendRow(text, header, widths, (c, cell) -> style.bold(cell));
        for (List<String> row : rows) appendRow(text, row, widths, cellStyle);
        return text.toString();
    }

    String aligned(Style style) {
        return aligned(style, (column, cell) -> cell);
    }

    /** One line per row, cells separated by tabs, no header: for cut, awk and while-read loops. */
    String tabSeparated() {
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) text.append(String.join("\t", row)).append('\n');
        return text.toString();
    }

    private static void appendRow(StringBuilder text, List<String> cells, int[] widths,
                                  BiFunction<Integer, String, String> cellStyle) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            line.append(cellStyle.apply(c, cell));
            if (c < cells.size() - 1) line.append(" ".repeat(widths[c] - cell.length() + 2));
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
