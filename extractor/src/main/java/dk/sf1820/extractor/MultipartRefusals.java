package dk.sf1820.extractor;

import java.util.Map;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * An upload whose multipart body cannot be read (no boundary, cut off, malformed) is the client's error: 400 with
 * the reason, in {@code POST /extracts}'s own form. The body is parsed before any controller is chosen, so
 * {@link ExtractsController}'s handlers never see it, and without this it would be answered 500.
 */
@RestControllerAdvice
class MultipartRefusals {

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, Object>> unreadable(MultipartException e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        HttpStatus status =
                e instanceof MaxUploadSizeExceededException ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return ResponseEntity.status(status)
                .body(Map.of("error", "the multipart request cannot be read: " + cause.getMessage()));
    }
}
