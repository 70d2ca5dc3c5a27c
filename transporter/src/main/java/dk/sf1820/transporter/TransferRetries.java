package dk.sf1820.transporter;

import java.time.Duration;

/**
 * The retry plan of a transfer: exponential pauses from {@code retryInitial}, growing by
 * {@code retryMultiplier} up to {@code retryMax}, as many as it takes for their sum to reach
 * {@code retryBudget}. Each distinct pause is a retry topic ({@code sf1820.package.ready.retry-<ms>});
 * the pauses at the maximum share one.
 */
record TransferRetries(long initialMillis, double multiplier, long maxMillis, int maxAttempts) {

    static TransferRetries of(TransporterProperties properties) {
        long initial = Math.max(1, properties.retryInitial().toMillis());
        long max = Math.max(initial, properties.retryMax().toMillis());
        return new TransferRetries(initial, properties.retryMultiplier(), max,
                attemptsFor(initial, properties.retryMultiplier(), max, properties.retryBudget()));
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
