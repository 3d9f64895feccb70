package io.dicomspanner.gateway.source;

import io.dicomspanner.gateway.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What a source matches on ({@link SourceMatchingService}): shown, probed, corrected. */
@RestController
@RequestMapping("/api/v1/sources/{id}/matching")
class SourceMatchingController {

    private final SourceMatchingService service;

    SourceMatchingController(SourceMatchingService service) {
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "The keys the worker verifies for the source, the observations behind them, the last probe")
    @ApiResponse(responseCode = "200", description = "The source's matching")
    @ApiResponse(responseCode = "404", description = "No such source")
    SourceMatchingResponse matching(@PathVariable long id) {
        return service.matching(id);
    }

    @PostMapping("/probe")
    @Operation(
            summary = "Has a worker serving the source probe which matching keys it applies",
            description = "Roughly two C-FINDs per key; the findings replace older observations of the same keys."
                    + " Without a body or keys, the probe's default keys.")
    @ApiResponse(responseCode = "202", description = "Handed to the workers of the source; Location: the matching")
    @ApiResponse(responseCode = "400", description = "A key that is no matching keyword, or one named twice")
    @ApiResponse(responseCode = "404", description = "No such source")
    @ApiResponse(responseCode = "503", description = "No worker serves the source, or the broker is unreachable")
    ResponseEntity<MatchingProbeAccepted> probe(
            @PathVariable long id, @Valid @RequestBody(required = false) MatchingProbeRequest body, Actor actor) {
        List<String> keys = body == null ? List.of() : body.canonicalKeys();
        MatchingProbeAccepted accepted = service.requestProbe(id, keys, actor);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, accepted.matchingUrl())
                .body(accepted);
    }

    @DeleteMapping("/observations/{keyword}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Forgets what was observed of one key of the source")
    @ApiResponse(
            responseCode = "204",
            description = "Forgotten; configs mapping the source get new versions if the"
                    + " keys the worker verifies changed")
    @ApiResponse(responseCode = "404", description = "No such source, or no observation of the key")
    void forget(@PathVariable long id, @PathVariable String keyword, Actor actor) {
        service.forget(id, keyword, actor);
    }
}
