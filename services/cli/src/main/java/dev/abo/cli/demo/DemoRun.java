package dev.abo.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.abo.detector.Nd4jSetup;
import dev.abo.loader.HeldOutRounds;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.Topics;
import org.apache.kafka.clients.admin.Admin;

/**
 * One run of {@code abo demo}: starts the services ({@link DemoStack}), watches them (trainers' listeners, the
 * registry's log, the camera's boxes on the topic, a gRPC client), drifts the camera halfway through the training
 * window, stops everything in order and summarises ({@link SummaryAssembly}). {@link #interrupt} (Ctrl-C) cuts the
 * training window short: the same orderly stop follows and a partial summary is still written.
 */
public final class DemoRun {

    static final String MARKER = ".abo-demo";

    private final DemoSettings s;
    private final PrintWriter out;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    public DemoRun(DemoSettings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    /** Ends the training window now (from a shutdown hook): the run stops everything and writes what it has. */
    public void interrupt() {
        interrupted.set(true);
    }

    /** Waits until {@link #run} has returned (for the shutdown hook). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the demo; the summary has been printed and the report written when it returns. */
    public DemoSummary run() throws IOException {
        try {
            return runOnce();
        } finally {
            finished.countDown();
        }
    }

    /** The watchers of a run, null until started. */
    private static final class Watchers {
        SnapshotLogWatch snapshots;
        CameraBoxes boxes;
        DetectProbe probe;
    }

    /** When training ends and the camera drifts, seconds since the start, and the services' settings. */
    private record Schedule(ServiceSettings services, DemoPlan plan, double trainingEnd, double driftAt) {
    }

    private DemoSummary runOnce() throws IOException {
        prepare(s.out());
        DemoProgress progress = new DemoProgress(out, System.nanoTime());
        out.printf(Locale.ROOT, "abo demo: %s min, everything under %s (Ctrl-C stops it cleanly)%n",
                num(s.length().toMillis() / 60_000.0), s.out().toAbsolutePath());
        out.flush();
        SummaryAssembly.Run run = new SummaryAssembly.Run(s, new TrainerWatch(ServiceSettings.CAMERA),
                new TrainerWatch(ServiceSettings.CAMERA));
        DemoStack stack = new DemoStack(out);
        Watchers w = new Watchers();
        try {
            Schedule schedule = start(stack, w, progress, run);
            train(stack, w, progress, run, schedule);
        } catch (RuntimeException e) {
            run.endedBy = "failed: " + e;
            progress.event("error: " + e);
        }
        progress.event("stopping (" + run.endedBy + "): inference, trainers, loaders, registry, broker");
        if (w.probe != null) {
            w.probe.close();
        }
        run.servingAtEnd = stack.servingVersion();
        stack.stopServices();
        if (w.boxes != null) {
            w.boxes.close();          // reads what the loaders wrote up to their stop
        }
        if (w.snapshots != null) {
            w.snapshots.close();
        }
        stack.close();
        run.secondsRun = progress.elapsedSeconds();
        DemoSummary summary = new SummaryAssembly(run, w.snapshots, w.boxes, w.probe, progress).summary();
        out.println();
        out.print(SummaryTable.render(summary));
        out.flush();
        return summary;
    }

    /** Broker (topics declared), registry, inference, the watchers, both trainers, both loaders, the Detect client. */
    private Schedule start(DemoStack stack, Watchers w, DemoProgress progress, SummaryAssembly.Run run) {
        String bootstrap = stack.startBroker(s.out().resolve("broker"));
        ConfigSource kafka = ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, bootstrap));
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicAdmin.ensure(admin, Topics.all());
        }
        progress.event("broker: Kafka (KRaft) on " + bootstrap + ", log dir " + s.out().resolve("broker"));
        ServiceSettings svc = new ServiceSettings(s, bootstrap);
        run.registryUrl = stack.startRegistry(svc.registry());
        progress.event("registry: " + run.registryUrl + "/ (data " + svc.dir("registry") + ", token " + s.registryToken() + ")");
        int grpcPort = stack.startInference(svc.inference(run.registryUrl));
        progress.event("inference: gRPC detection.v1 on 127.0.0.1:" + grpcPort + ", follows the promoted '"
                + ServiceSettings.MODEL + "' snapshot");
        w.snapshots = new SnapshotLogWatch(kafka, ServiceSettings.MODEL, progress::event);
        w.boxes = new CameraBoxes(kafka, ServiceSettings.CAMERA);
        Nd4jSetup.enableHelpers();
        double trainingStart = progress.elapsedSeconds();
        DemoPlan plan = DemoPlan.of(s, Duration.ofMillis(Math.round(trainingStart * 1000)));
        run.plan = plan;
        Schedule schedule = new Schedule(svc, plan, trainingStart + plan.trainingSeconds(),
                trainingStart + plan.driftAfter());
        progress.event(String.format(Locale.ROOT, "plan: train until %s, the camera drifts to small heads at %s; "
                        + "loaders paced at %.2f (camera) + %.2f (VOC) batches of %d images/s and held back while the "
                        + "learned trainer has %d uncommitted; anchor warm-up %d steps", DemoProgress.clock(schedule.trainingEnd()),
                DemoProgress.clock(schedule.driftAt()), plan.cameraRate(), plan.vocRate(), s.batch(), plan.lagCap(),
                plan.warmupSteps()));
        stack.startTrainer("trainer-learned", svc.learnedTrainer(plan, run.registryUrl), run.learned);
        stack.startTrainer("trainer-fixed", svc.fixedTrainer(plan), run.fixed);
        stack.startLoader(ServiceSettings.CAMERA, svc.camera(plan, ServiceSettings.NO_DRIFT));
        if (plan.vocRate() > 0) {
            stack.startLoader(ServiceSettings.VOC, svc.voc(plan));
        }
        progress.event("trainers: learned anchors (publishes every " + s.evalEvery() + " steps) and fixed anchors "
                + "(baseline), both from the " + s.init().cliName() + " anchors; loaders: camera (mixed objects; holds out "
                + svc.cameraRounds().heldOutBatches() + " batches for eval.batches, then trains on "
                + svc.cameraRounds().trainBatches() + ", in turn) and VOC2007 train");
        w.probe = new DetectProbe(grpcPort, CameraScenes.phase(s.seed(), false), CameraScenes.phase(s.seed(), true),
                s.detectEvery(), progress::event);
        return schedule;
    }

    /** Until the end of the training window, an interrupt or a failed service: the drift, the status lines. */
    private void train(DemoStack stack, Watchers w, DemoProgress progress, SummaryAssembly.Run run, Schedule schedule) {
        run.cpuStart = CpuSplit.now();
        double nextStatus = progress.elapsedSeconds() + s.statusEvery().toMillis() / 1000.0;
        while (progress.elapsedSeconds() < schedule.trainingEnd()) {
            if (interrupted.get()) {
                run.endedBy = "interrupted";
                break;
            }
            Optional<String> failure = stack.failure();
            if (failure.isPresent()) {
                run.endedBy = "failed: " + failure.get();
                break;
            }
            if (run.drift == null && progress.elapsedSeconds() >= schedule.driftAt()) {
                drift(stack, schedule.services(), schedule.plan(), run, w.probe, progress);
            }
            if (progress.elapsedSeconds() >= nextStatus) {
                status(progress, schedule.trainingEnd(), run, w.snapshots, stack, w.probe);
                nextStatus += s.statusEvery().toMillis() / 1000.0;
            }
            sleep(200);
        }
        run.cpuEnd = CpuSplit.now();
    }

    /**
     * The camera is restarted on the drifted scene: it resumes after its last batch of each topic, frames from there on
     * show heads, and its next held-out set (at most a round away) is of the new scene.
     */
    private void drift(DemoStack stack, ServiceSettings svc, DemoPlan plan, SummaryAssembly.Run run, DetectProbe probe,
                       DemoProgress progress) {
        DemoStack.StoppedLoader phase1 = stack.stopLoader(ServiceSettings.CAMERA);
        HeldOutRounds rounds = svc.cameraRounds();
        long batch = phase1.nextTrainBatch();
        long frame = rounds.resumeAt(batch, phase1.nextHeldOutBatch()) * s.batch();
        run.learned.driftAt(batch);
        run.fixed.driftAt(batch);
        stack.startLoader(ServiceSettings.CAMERA, svc.camera(plan, frame));
        probe.drifted();
        run.drift = new DemoSummary.Drift(frame, batch, progress.elapsedSeconds(), null, null);
        progress.event("camera: DRIFT to small heads from frame " + frame + " (training batch " + batch + "); its held-out"
                + " sets on eval.batches show them from the next one on (within " + rounds.roundBatches() + " batches)");
    }

    private static void status(DemoProgress progress, double trainingEnd, SummaryAssembly.Run run, SnapshotLogWatch snapshots,
                               DemoStack stack, DetectProbe probe) {
        String camera = run.drift == null ? "mixed objects" : "small heads since " + DemoProgress.clock(run.drift.secondsIntoRun());
        List<SnapshotLogWatch.Promotion> promotions = snapshots.promotions();
        long promoted = promotions.isEmpty() ? -1 : promotions.get(promotions.size() - 1).version();
        progress.status(trainingEnd, run.learned, run.fixed, camera, snapshots.versions().size(), promoted,
                stack.servingVersion(), probe);
    }

    /**
     * Makes {@code dir} empty for a new run: a directory a previous demo left (it holds {@link #MARKER}) is cleared;
     * anything else that is not empty is refused.
     */
    static void prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> list = Files.list(dir)) {
                empty = list.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new IllegalArgumentException(dir + " is not empty and not a demo's directory: choose another --out");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        } else if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a directory: choose another --out");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "written by abo demo; the next run clears this directory\n");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
