package dk.sf1820.transporter;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The retry plan of a transfer: exponential pauses from {@code retryInitial}, growing by
 * {@code retryMultiplier} up to {@code retryMax}, as many as it takes for their sum to reach
 * {@code retryBudget}. Each distinct pause is a retry topic ({@code sf1820.package.ready.retry-<ms>});
 * the pauses at the maximum share one. Each pause is lengthened by a random share of itself, up to
 * {@code jitter}, so that transfers that failed together do not all return at once.
 */
record TransferRetries(long initialMillis, double multiplier, long maxMillis, int maxAttempts, double jitter) {

    static TransferRetries of(TransporterProperties properties) {
        long initial = Math.max(1, properties.retryInitial().toMillis());
        long max = Math.max(initial, properties.retryMax().toMillis());
        return new TransferRetries(
                initial,
                properties.retryMultiplier(),
                max,
                attemptsFor(initial, properties.retryMultiplier(), max, properties.retryBudget()),
                properties.retryJitter());
    }

    /** The pause after the given failed attempt (1 = the first delivery), as its retry topic applies it. */
    long pauseAfter(int failedAttempt) {
        double pause = initialMillis * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return (long) Math.min(pause, maxMillis);
    }

    /**
     * When the attempt after {@code failedAttempt} is due: the retry topic's pause, lengthened by a
     * random share of up to {@code jitter} of it. Never earlier than the pause itself.
     */
    long nextAttemptAt(int failedAttempt, long nowMillis, RandomGenerator random) {
        long pause = pauseAfter(failedAttempt);
        return nowMillis + pause + (long) (pause * jitter * random.nextDouble());
    }

    /** The first attempt plus one retry per pause until the pauses add up to the budget. */
    static int attemptsFor(long initialMillis, double multiplier, long maxMillis, Duration budget) {
        long waited = 0;
        double pause = initialMillis;
        int attempts = 1;
        while (waited < budget.toMillis()) {
            waited += (long) Math.min(pause, maxMillis);
            pause = Math.min(pause * multiplier, maxMillis);
            attempts++;
        }
        return attempts;
    }
}
