package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertCommandTest {
    private final Cli cli = new Cli(Map.of("NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);

    @TempDir
    Path dir;

    @Test
    void writesACaAndANodeCertificateWithOwnerOnlyKeys() throws Exception {
        Cli.Result result = cli.run("cert", dir.toString(), "--json");
        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode json = new ObjectMapper().readTree(result.stdout());
        assertTrue(json.path("ca_created").asBoolean());
        assertEquals("[\"127.0.0.1\",\"localhost\"]", json.path("addresses").toString());
        assertEquals("node", json.path("nodes").get(0).path("name").asText());
        for (String file : new String[] {"ca.pem", "ca-key.pem", "node.pem", "node-key.pem"}) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-key.pem"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))));
    }

    @Test
    void aSecondRunKeepsTheCaAndRefusesToOverwriteANodeWithoutForce() throws Exception {
        assertEquals(0, cli.run("cert", dir.toString(), "--node", "n1").exitCode());
        String ca = Files.readString(dir.resolve("ca.pem"));
        Cli.Result more = cli.run("cert", dir.toString(), "--node", "n2,n3", "--san", "10.0.0.2", "--san", "db.example");
        assertEquals(0, more.exitCode(), more.stderr());
        assertTrue(more.stdout().contains("the existing CA"), more.stdout());
        assertEquals(ca, Files.readString(dir.resolve("ca.pem")));
        assertTrue(Files.exists(dir.resolve("n3-key.pem")));
        String n1 = Files.readString(dir.resolve("n1.pem"));
        Cli.Result again = cli.run("cert", dir.toString(), "--node", "n1");
        assertEquals(ExitCode.USAGE, again.exitCode());
        assertTrue(again.stderr().contains("--force"), again.stderr());
        assertEquals(0, cli.run("cert", dir.toString(), "--node", "n1", "--force").exitCode());
        assertTrue(!n1.equals(Files.readString(dir.resolve("n1.pem"))), "replaced");
    }

    @Test
    void badNamesDaysAndAHalfCaAreUsageErrors() throws Exception {
        assertEquals(ExitCode.USAGE, cli.run("cert", dir.toString(), "--node", "../evil").exitCode());
        assertEquals(ExitCode.USAGE, cli.run("cert", dir.toString(), "--node", "ca").exitCode());
        assertEquals(ExitCode.USAGE, cli.run("cert", dir.toString(), "--days", "0").exitCode());
        Files.writeString(dir.resolve("ca.pem"), "x");
        Cli.Result half = cli.run("cert", dir.toString());
        assertEquals(ExitCode.USAGE, half.exitCode());
        assertTrue(half.stderr().contains("ca-key.pem"), half.stderr());
    }
}
