package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /extracts}: the HTTP twin of {@code ./sf1820 submit}, served where the extractor runs
 * in a long-running process. Either a multipart upload ({@code fagsystem}, {@code authority},
 * {@code period}, optional {@code resend}, and the {@code file}) or JSON naming a file already in
 * the staging area ({@code {"fagsystem":"KSD","authority":"0561","period":"M03","path":"/…/staging/inbox/x.csv"}}).
 * Answers 201 with the transferId, 400 with the reason for a refused extract, 409 naming the earlier
 * transferId for an extract announced before, 503 with the transferId for an extract recorded whose
 * ExtractReady Kafka did not acknowledge (the extractor announces it once Kafka is reachable; the same
 * request again gets 201).
 */
@RestController
class ExtractsController {

    static final String UPLOADS = "uploads";

    private static final Logger log = LoggerFactory.getLogger(ExtractsController.class);

    private final ExtractSubmitter submitter;
    private final Path stagingDir;
    private final Path uploads;

    /**
     * @param instance this process's name, stable across restarts and distinct between the instances sharing the
     *     staging area: whose uploads folder this is
     */
    ExtractsController(ExtractSubmitter submitter, Path stagingDir, String instance) {
        this.submitter = submitter;
        this.stagingDir = stagingDir.toAbsolutePath().normalize();
        this.uploads = this.stagingDir.resolve(UPLOADS).resolve(instance);
        deleteLeftovers();
    }

    /** A submission naming a file in the staging area. */
    public record PathSubmission(String fagsystem, String authority, String period, String path, Boolean resend) {}

    @PostMapping(path = "/extracts", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> upload(
            @RequestParam String fagsystem,
            @RequestParam String authority,
            @RequestParam String period,
            @RequestParam(defaultValue = "false") boolean resend,
            @RequestParam MultipartFile file)
            throws IOException {
        String name = file.getOriginalFilename() == null
                ? ""
                : Path.of(file.getOriginalFilename().replace('\\', '/'))
                        .getFileName()
                        .toString();
        if (name.isBlank() || name.startsWith(".")) {
            throw new ExtractRefusedException("uploaded file name '" + file.getOriginalFilename()
                    + "' is empty or hidden; upload the extract under its own name");
        }
        Path dir = Files.createTempDirectory(PrivateFiles.createDirectories(uploads), "upload-");
        try {
            Path upload = dir.resolve(name);
            file.transferTo(upload);
            PrivateFiles.restrict(upload);
            return created(submitter.submit(new ExtractRequest(fagsystem, authority, period, upload, resend)));
        } finally {
            deleteRecursively(dir);
        }
    }

    @PostMapping(path = "/extracts", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> submit(@RequestBody PathSubmission submission) {
        if (submission.path() == null || submission.path().isBlank()) {
            throw new ExtractRefusedException("path is required: a file in the staging area " + stagingDir);
        }
        Path file = Path.of(submission.path());
        if (!inStagingArea(file)) {
            throw new ExtractRefusedException("path " + submission.path() + " is outside the staging area " + stagingDir
                    + "; copy the file there or upload it (multipart)");
        }
        return created(submitter.submit(new ExtractRequest(
                submission.fagsystem(),
                submission.authority(),
                submission.period(),
                file,
                Boolean.TRUE.equals(submission.resend()))));
    }

    private boolean inStagingArea(Path file) {
        if (!file.isAbsolute() || !file.normalize().startsWith(stagingDir)) {
            return false;
        }
        try {
            // A symbolic link inside the staging area must not reach out of it.
            return file.toRealPath().startsWith(stagingDir.toRealPath());
        } catch (NoSuchFileException e) {
            return true; // the stager says the file does not exist
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + file + ": " + e.getMessage(), e);
        }
    }

    private static ResponseEntity<Map<String, Object>> created(String transferId) {
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("transferId", transferId));
    }

    @ExceptionHandler(DuplicateExtractException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicateExtractException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Map.of("error", e.getMessage(), "transferId", e.earlierTransferId()));
    }

    @ExceptionHandler(ExtractNotAnnouncedException.class)
    ResponseEntity<Map<String, Object>> notAnnounced(ExtractNotAnnouncedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", e.getMessage(), "transferId", e.transferId()));
    }

    /**
     * The staging area cannot be written (full, read-only, gone): nothing about the extract is wrong, so the client
     * is told why and to send it again later, not handed a bare 500. A record made before the failure is adopted by
     * that retry.
     */
    @ExceptionHandler({IOException.class, UncheckedIOException.class})
    ResponseEntity<Map<String, Object>> stagingUnavailable(Exception e) {
        log.warn("extract not accepted, the staging area cannot be written reason=\"{}\"", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "60")
                .body(Map.of(
                        "error",
                        "extract not accepted: " + e.getMessage()
                                + "; send it again once the staging area can be written"));
    }

    @ExceptionHandler(ExtractRefusedException.class)
    ResponseEntity<Map<String, Object>> refused(ExtractRefusedException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** The uploads of requests a stopped process (this instance before its restart) never finished. */
    private void deleteLeftovers() {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(uploads)) {
            for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                deleteRecursively(leftover);
                log.warn(
                        "upload left by a stopped process deleted path={} reason=\"the process stopped during the"
                                + " request; its client got no answer and sends the extract again\"",
                        leftover);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list uploads left by a stopped process in " + uploads + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // No stage reads uploads/: a leftover costs disk space, nothing else.
        }
    }
}
