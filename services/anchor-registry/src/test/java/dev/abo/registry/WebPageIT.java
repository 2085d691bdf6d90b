package dev.abo.registry;

import dev.abo.platform.registry.RegistryClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in headless Chromium: it loads, lists the versions and draws the anchor plot. Chromium is
 * installed with apt-get if missing (as root); without it the test is skipped with the command to run.
 */
class WebPageIT {

    static final String INSTALL = "apt-get install -y --no-install-recommends chromium";

    @TempDir
    static Path blobs;
    @TempDir
    static Path work;
    static RegistryServer server;
    static String chromium;

    @BeforeAll
    static void start() throws Exception {
        chromium = findOrInstallChromium().orElse(null);
        Assumptions.assumeTrue(chromium != null, "headless Chromium is not installed and could not be installed; run `"
                + INSTALL + "` (Debian, as root) to run this test");
        server = TestRegistry.start(blobs, TestRegistry.newTopic());
        RegistryClient c = TestRegistry.client(server);
        long[] counts = new long[32 * 32];
        for (int j = 10; j < 20; j++) {
            for (int i = 8; i < 22; i++) {
                counts[j * 32 + i] = 1 + (i + j) % 5;
            }
        }
        JsonObject histogram = new JsonObject().put("widthBins", 32).put("heightBins", 32)
                .put("logWidthMin", 1.0).put("logWidthMax", 5.5).put("logHeightMin", 1.0).put("logHeightMax", 5.5);
        JsonArray countsJson = new JsonArray();
        for (long v : counts) {
            countsJson.add(v);
        }
        histogram.put("counts", countsJson);
        // versions 1 and 2 on one held-out set, version 3 on the next one with version 2's AP50 measured on it
        JsonObject v3 = TestRegistry.snapshot(3, 300, 0.20);
        v3.getJsonObject("metrics").put("heldOutSet", SET_2).put("promotedAp50", 0.35).put("promotedVersion", 2);
        c.publish("web-demo", onSet(TestRegistry.snapshot(3, 100, 0.40), SET_1).put("gtShapeHistogram", histogram).encode(),
                TestRegistry.checkpoint(work, "w1"));
        c.publish("web-demo", onSet(TestRegistry.snapshot(3, 200, 0.55), SET_1).put("gtShapeHistogram", histogram).encode(),
                TestRegistry.checkpoint(work, "w2"));
        c.publish("web-demo", v3.put("gtShapeHistogram", histogram).encode(), TestRegistry.checkpoint(work, "w3"));
    }

    static final String SET_1 = "eval.batches-0@0.0..5.7";
    static final String SET_2 = "eval.batches-0@6.0..11.7";

    static JsonObject onSet(JsonObject snapshot, String set) {
        snapshot.getJsonObject("metrics").put("heldOutSet", set);
        return snapshot;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Optional<String> findOrInstallChromium() throws InterruptedException {
        Optional<String> found = onPath();
        if (found.isPresent()) {
            return found;
        }
        System.err.println("WebPageIT: chromium not found; trying `" + INSTALL + "`");
        try {
            Process p = new ProcessBuilder("sh", "-c", "[ \"$(id -u)\" = 0 ] && command -v apt-get >/dev/null && "
                    + "DEBIAN_FRONTEND=noninteractive " + INSTALL).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("WebPageIT: cannot run apt-get: " + e.getMessage());
        }
        return onPath();
    }

    static Optional<String> onPath() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name).toString());
                }
            }
        }
        return Optional.empty();
    }

    static String runChromium(Path userDataDir, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + userDataDir, "--window-size=1300,1400", "--virtual-time-budget=15000"));
        cmd.addAll(List.of(extra));
        Path out = Files.createTempFile(work, "chromium-", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish: " + cmd);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void pageListsTheVersionsAndDrawsThePlot() throws Exception {
        String dom = runChromium(Files.createTempDirectory(work, "profile-"), "--dump-dom", server.baseUrl() + "/?model=web-demo");

        assertThat(dom).contains("abo anchor registry");
        assertThat(attribute(dom, "table", "versions", "data-count")).isEqualTo("3");
        assertThat(dom).containsPattern("<tr class=\"version[^\"]*\" data-version=\"2\"><td>2</td><td>200</td><td>0.5500</td>");
        assertThat(dom).contains("<td class=\"promoted\">promoted</td>");
        // held-out sets and the policy's reasons (0.55 >= 0.40 - 0.01 on set 1; 0.20 < 0.35 - 0.01 on set 2)
        assertThat(dom).containsPattern("data-version=\"3\"><td>3</td><td>300</td><td>0.2000</td><td>1.5000</td>"
                + "<td class=\"held-out-set\">" + Pattern.quote(SET_2) + "</td>");
        String v2 = "AP50 0.5500 is within 0.0100 of promoted version 1's 0.4000 or better (both measured on held-out set "
                + SET_1 + ")";
        assertThat(dom).contains("<td class=\"decision\">promoted: " + v2 + "</td>");
        assertThat(dom).contains("<td class=\"decision held\">held: AP50 0.2000 is worse than promoted version 2's 0.3500 by"
                + " more than 0.0100 (version 2 measured by the trainer on this version's held-out set " + SET_2 + ")</td>");
        assertThat(dom).contains("<td class=\"decision\">promoted: no version of the model was promoted</td>");
        assertThat(dom).containsPattern("<p id=\"pointer\" data-version=\"2\">Promoted: version 2 \\(auto, [0-9: -]{19}\\): "
                + Pattern.quote(v2) + "</p>");
        // the JS marks the canvas after drawing: 3 anchors of the promoted version 2 over the histogram
        assertThat(attribute(dom, "canvas", "plot", "data-drawn")).isEqualTo("3");
        assertThat(attribute(dom, "canvas", "plot", "data-version")).isEqualTo("2");
        // histogram total: sum over 10 rows x 14 columns of 1 + (i + j) % 5; every residue appears 28 times -> 28 * 15
        assertThat(attribute(dom, "canvas", "plot", "data-histogram")).isEqualTo("420");
        // anchor table of version 2: anchor 2 is 20 x 40 px, ln 20 = 2.996, ln 40 = 3.689
        assertThat(dom).contains("<td>2</td><td>20.00</td><td>40.00</td><td>2.996</td><td>3.689</td>");
    }

    @Test
    void screenshotShowsTheAnchorDotsAndTheDensity() throws Exception {
        Path png = work.resolve("page.png");
        runChromium(Files.createTempDirectory(work, "profile-"), "--screenshot=" + png, server.baseUrl() + "/?model=web-demo");
        BufferedImage img = ImageIO.read(png.toFile());
        int anchorColour = 0;
        int grey = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xe6194b) {      // the first anchor's colour in app.js
                    anchorColour++;
                }
                int r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (r == g && g == b && r >= 35 && r <= 235 && r != 204 && r != 68 && r != 34) {   // density cells, not borders/text
                    grey++;
                }
            }
        }
        assertThat(anchorColour).as("pixels of the first anchor's dot and path").isGreaterThan(30);
        assertThat(grey).as("pixels of the ground-truth density").isGreaterThan(1000);
    }

    static String attribute(String dom, String tag, String id, String name) {
        Matcher m = Pattern.compile("<" + tag + "[^>]*id=\"" + id + "\"[^>]*>").matcher(dom);
        assertThat(m.find()).as("<" + tag + " id=" + id + "> in the page").isTrue();
        Matcher a = Pattern.compile(name + "=\"([^\"]*)\"").matcher(m.group());
        assertThat(a.find()).as(name + " on " + m.group()).isTrue();
        return a.group(1);
    }
}
