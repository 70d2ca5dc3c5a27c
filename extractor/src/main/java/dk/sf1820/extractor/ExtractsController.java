package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

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
    /** NAME_MAX of Linux file systems, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    /** PATH_MAX of Linux, in bytes. */
    static final int MAX_PATH_BYTES = 4096;
    /** An answer's reason echoes what the client sent: at most this much of it. */
    static final int MAX_REASON_CHARS = 2000;

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
            @RequestParam("file") List<MultipartFile> files)
            throws IOException {
        if (files.size() != 1) {
            // which of them would be the extract? taking the first would deliver what the client may not have meant
            throw new ExtractRefusedException(
                    "file: the request has " + files.size() + " file parts; upload one extract per request");
        }
        MultipartFile file = files.get(0);
        String name = uploadedName(file.getOriginalFilename());
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
        int pathBytes = submission.path().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > MAX_PATH_BYTES) {
            throw new ExtractRefusedException(
                    "path is " + pathBytes + " bytes long; a path has at most " + MAX_PATH_BYTES + " (PATH_MAX)");
        }
        Path file;
        try {
            file = Path.of(submission.path());
        } catch (InvalidPathException e) {
            throw new ExtractRefusedException(
                    "path " + printable(submission.path()) + " is no valid path: " + e.getReason());
        }
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
            // e.g. a name longer than the file system allows: the client's path, not the server, is at fault
            String reason =
                    e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new ExtractRefusedException("path " + printable(file.toString()) + " cannot be resolved: " + reason);
        }
    }

    /**
     * The uploaded file's own name, the last part of what the client sent (a browser may send a whole path, with
     * either separator), refused when it could not be a plain, visible file name here: empty, hidden, {@code ..},
     * with control characters (a NUL cannot be in a file name, a newline would forge log lines) or longer than
     * the file system's 255 bytes.
     */
    static String uploadedName(String original) {
        String given = original == null ? "" : original;
        if (given.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ExtractRefusedException("file: uploaded file name '" + printable(given)
                    + "' has control characters; upload the extract under a plain name");
        }
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
        if (name.isBlank() || name.startsWith(".")) {
            throw new ExtractRefusedException("file: uploaded file name '" + given
                    + "' is empty or hidden; upload the extract under its own name");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new ExtractRefusedException("file: uploaded file name '" + name.substring(0, 40) + "…' is " + bytes
                    + " bytes long; a file name has at most " + MAX_NAME_BYTES);
        }
        return name;
    }

    /** The text with its control characters shown as escapes, so an answer or log line shows what was sent. */
    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.append((char) c);
            }
        });
        return shown.toString();
    }

    /** The exception's message, cut to {@link #MAX_REASON_CHARS}: a field of megabytes is not echoed whole. */
    static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.length() <= MAX_REASON_CHARS
                ? message
                : message.substring(0, MAX_REASON_CHARS) + "… (" + message.length() + " characters)";
    }

    private static ResponseEntity<Map<String, Object>> created(String transferId) {
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("transferId", transferId));
    }

    @ExceptionHandler(DuplicateExtractException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicateExtractException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Map.of("error", reason(e), "transferId", e.earlierTransferId()));
    }

    @ExceptionHandler(ExtractNotAnnouncedException.class)
    ResponseEntity<Map<String, Object>> notAnnounced(ExtractNotAnnouncedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", reason(e), "transferId", e.transferId()));
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

    /**
     * A body that is no submission: which field, and what is wrong with it, rather than Spring's "Failed to read
     * request". Jackson's own words, without the parser's class names.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String why;
        if (cause instanceof JacksonException jackson) {
            String field = jackson.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            TokenStreamLocation at = jackson.getLocation();
            why = (field.isEmpty() ? "" : "field " + field + ": ")
                    + String.valueOf(jackson.getOriginalMessage()).replaceAll("`[a-z]+(\\.[a-z]+)+\\.", "`")
                    + (at == null || at.getLineNr() < 0
                            ? ""
                            : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } else {
            why = String.valueOf(cause.getMessage());
        }
        return ResponseEntity.badRequest()
                .body(Map.of(
                        "error",
                        reason(new ExtractRefusedException("the body is no submission: " + why + "; expected"
                                + " {\"fagsystem\": \"KSD\", \"authority\": \"0561\", \"period\": \"M03\","
                                + " \"path\": \"<a file in the staging area>\", \"resend\": false}"))));
    }

    @ExceptionHandler(ExtractRefusedException.class)
    ResponseEntity<Map<String, Object>> refused(ExtractRefusedException e) {
        return ResponseEntity.badRequest().body(Map.of("error", reason(e)));
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
