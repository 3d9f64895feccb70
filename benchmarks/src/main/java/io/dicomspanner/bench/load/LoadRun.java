package io.dicomspanner.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop clients: each sends a search, waits for the whole answer, pauses the think time, and sends the next,
 * first through the warm-up (not counted) and then through the measured time or request count. A request belongs to
 * the phase in which it was sent. Java 17 has no virtual threads, so each client is a platform thread of a fixed
 * pool blocked in {@link java.net.http.HttpClient#send}.
 */
final class LoadRun {

    enum Mix {
        /** A query no client asked before: a cache miss, fanned out to every PACS. */
        UNIQUE,
        /** The one repeated query: answered from the cache once cached. */
        REPEATED
    }

    record Sample(Mix mix, QueryPlan.Query query, Gateway.Answer answer) {}

    /**
     * The measured samples, the measured time (from its start to the last measured answer) and the CPU milliseconds
     * each watched process used in it.
     */
    record Result(
            List<Sample> samples,
            long measuredNanos,
            long measureFromEpochMillis,
            Map<String, Long> cpuMillis,
            ResourceSampler resources,
            List<Fault.Outcome> faults) {}

    private final Gateway gateway;
    private final QueryPlan plan;
    private final LoadOptions options;

    LoadRun(Gateway gateway, QueryPlan plan, LoadOptions options) {
        this.gateway = gateway;
        this.plan = plan;
        this.options = options;
    }

    Result run() throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + options.warmUp().toNanos();
        long measureUntil = options.requests() > 0
                ? Long.MAX_VALUE
                : measureFrom + options.duration().toNanos();
        AtomicInteger measuredLeft = new AtomicInteger(options.requests() > 0 ? options.requests() : Integer.MAX_VALUE);
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(options.clients());
        ExecutorService clients = Executors.newFixedThreadPool(options.clients(), r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        long[] lastMeasuredAnswer = {measureFrom};
        Map<String, Long> watched = new LinkedHashMap<>(options.cpuPids());
        watched.put("load test (this JVM)", ProcessHandle.current().pid());
        // faults set for after the end do not run; one running at the end is waited for
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ScheduledFuture<Map<String, Long>> cpuAtStart = timer.schedule(
                () -> ProcessCpu.snapshot(watched), measureFrom - System.nanoTime(), TimeUnit.NANOSECONDS);
        ResourceSampler resources = new ResourceSampler(watched, options.rabbitmqVhost());
        List<Fault.Outcome> faultOutcomes = new ArrayList<>();
        for (Fault fault : options.faults()) {
            timer.schedule(
                    () -> {
                        Fault.Outcome outcome = fault.run();
                        synchronized (faultOutcomes) {
                            faultOutcomes.add(outcome);
                        }
                    },
                    measureFrom + fault.at().toNanos() - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
        sampling.scheduleWithFixedDelay(
                resources::sample,
                measureFrom - System.nanoTime(),
                options.sampleInterval().toNanos(),
                TimeUnit.NANOSECONDS);
        ThinkTime think = new ThinkTime(options.thinkTime());
        for (int c = 0; c < options.clients(); c++) {
            Random random = ThinkTime.forClient(options.seed(), c);
            clients.execute(() -> {
                try {
                    if (!think.isZero()) {
                        Thread.sleep(think.startMillis(random));
                    }
                    while (true) {
                        long now = System.nanoTime();
                        boolean measured = now >= measureFrom;
                        if (now >= measureUntil || (measured && measuredLeft.getAndDecrement() <= 0)) {
                            return;
                        }
                        Mix mix = random.nextDouble() < options.repeatedShare() ? Mix.REPEATED : Mix.UNIQUE;
                        QueryPlan.Query query = mix == Mix.REPEATED ? plan.repeated() : plan.nextUnique();
                        Gateway.Answer answer = gateway.studies(query.qido(options.configId()));
                        if (measured) {
                            samples.add(new Sample(mix, query, answer));
                            synchronized (lastMeasuredAnswer) {
                                lastMeasuredAnswer[0] = Math.max(lastMeasuredAnswer[0], System.nanoTime());
                            }
                        }
                        if (!think.isZero()) {
                            Thread.sleep(think.nextMillis(random));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        Map<String, Long> cpuAtEnd = ProcessCpu.snapshot(watched);
        sampling.shutdownNow();
        sampling.awaitTermination(40, TimeUnit.SECONDS);
        resources.sample();
        clients.shutdown();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        Map<String, Long> cpu;
        try {
            cpu = ProcessCpu.used(cpuAtStart.get(), cpuAtEnd);
        } catch (ExecutionException e) {
            throw new IllegalStateException("CPU time not read", e);
        } finally {
            timer.shutdown();
            timer.awaitTermination(2, TimeUnit.MINUTES);
        }
        long measured = options.requests() > 0
                ? lastMeasuredAnswer[0] - measureFrom
                : options.duration().toNanos();
        long measureFromEpoch = System.currentTimeMillis() - (System.nanoTime() - measureFrom) / 1_000_000;
        List<Fault.Outcome> faults;
        synchronized (faultOutcomes) {
            faults = List.copyOf(faultOutcomes);
        }
        return new Result(new ArrayList<>(samples), measured, measureFromEpoch, cpu, resources, faults);
    }
}
