package memdb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import memdb.cli.cert.Certificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb cert DIR}: the certificates of a test cluster as PEM files in DIR: a self-signed CA
 * (ca.pem, ca-key.pem; an existing one is reused, so nodes can be added later) and, per {@code --node},
 * NAME.pem and NAME-key.pem with the given addresses. Keys are written mode 0600.
 */
@Command(name = "cert", description = {"Make a self-signed CA and node certificates (PEM) for a test cluster's TLS.",
    "Writes DIR/ca.pem and DIR/ca-key.pem (reused when present) and DIR/NAME.pem, DIR/NAME-key.pem per --node; "
        + "configure a node with tls-cert, tls-key and tls-ca, and clients with --tls-ca DIR/ca.pem.",
    "text and raw: a line per file written; json and table: the files and addresses."})
final class CertCommand implements Callable<Integer> {
    static final List<String> ADDRESSES_DEFAULT = List.of("127.0.0.1", "localhost");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @ParentCommand
    MemdbCommand root;

    @Parameters(paramLabel = "DIR", description = "Where to write the PEM files (created if missing).")
    Path dir;

    @Option(names = "--node", paramLabel = "NAME", split = ",",
            description = "A node certificate to make, named NAME (repeatable; default: node).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--san", paramLabel = "ADDRESS", split = ",",
            description = "An IP address or DNS name the nodes are reached at (repeatable; default: 127.0.0.1 and localhost).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--days", paramLabel = "N", defaultValue = "365", description = "How long the certificates are valid (default 365).")
    int days;

    @Option(names = "--force", description = "Overwrite node certificates that exist (the CA is always kept).")
    boolean force;

    @Mixin
    FormatOptions format;

    @Override
    public Integer call() throws IOException {
        Output printer = new Output(root.io(), format.format(root.io()));
        if (days < 1 || days > 36_500) throw new UserError(ExitCode.USAGE, "--days must be in 1..36500");
        List<String> names = nodes.isEmpty() ? List.of("node") : nodes;
        for (String name : names) {
            if (!NAME.matcher(name).matches() || name.equals("ca")) {
                throw new UserError(ExitCode.USAGE, "--node " + name + ": a name is letters, digits, '.', '_' or '-' (and not ca)");
            }
        }
        List<String> sans = addresses.isEmpty() ? ADDRESSES_DEFAULT : addresses.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
        Files.createDirectories(dir);
        Certificates certificates = new Certificates(new SecureRandom());
        Instant now = Instant.now();
        Duration validity = Duration.ofDays(days);
        List<String> lines = new ArrayList<>();
        Path caPem = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        boolean caExists = Files.exists(caPem) || Files.exists(caKey);
        Certificates.Issued ca;
        if (caExists) {
            if (!Files.exists(caPem) || !Files.exists(caKey)) {
                throw new UserError(ExitCode.USAGE, dir + " has only one of ca.pem and ca-key.pem; remove it or restore the other");
            }
            ca = Certificates.read(caPem, caKey);
            lines.add("kept   " + caPem + " (the existing CA)");
        } else {
            ca = certificates.newCa("MemDB test CA", now, validity);
            write(caKey, Certificates.pem(ca.key()), true);
            write(caPem, Certificates.pem(ca.certificate()), false);
            lines.add("wrote  " + caPem + " and " + caKey + " (a new CA)");
        }
        List<Map<String, Object>> written = new ArrayList<>();
        for (String name : names) {
            Path certificate = dir.resolve(name + ".pem");
            Path key = dir.resolve(name + "-key.pem");
            if (!force && (Files.exists(certificate) || Files.exists(key))) {
                throw new UserError(ExitCode.USAGE, certificate + " exists; pass --force to replace it");
            }
            Certificates.Issued issued = certificates.issue(ca, name, sans, now, validity);
            write(key, Certificates.pem(issued.key()), true);
            write(certificate, Certificates.pem(issued.certificate()), false);
            lines.add("wrote  " + certificate + " and " + key + " (" + String.join(", ", sans) + ")");
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", name);
            node.put("certificate", certificate.toString());
            node.put("key", key.toString());
            written.add(node);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ca", caPem.toString());
        fields.put("ca_key", caKey.toString());
        fields.put("ca_created", !caExists);
        fields.put("addresses", sans);
        fields.put("days", days);
        fields.put("nodes", written);
        return printer.print(Reply.of(fields).raw(String.join("\n", lines)));
    }

    /** Writes {@code text}; a key file is created owner-only (0600) before anything is written to it. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        if (secret && Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new UserError(ExitCode.USAGE, file + " appeared while writing it");
            }
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
