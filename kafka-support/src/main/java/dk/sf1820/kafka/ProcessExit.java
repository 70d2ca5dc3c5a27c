package dk.sf1820.kafka;

/** How the process ends with a status; {@code System::exit} unless a test supplies a bean of its own. */
@FunctionalInterface
public interface ProcessExit {

    void exit(int status);
}
