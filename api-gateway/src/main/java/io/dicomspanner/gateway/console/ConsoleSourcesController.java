package io.dicomspanner.gateway.console;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.dicomspanner.gateway.health.SourceHealthService;
import io.dicomspanner.gateway.source.DicomSourceRequest;
import io.dicomspanner.gateway.source.DicomSourceResponse;
import io.dicomspanner.gateway.source.DicomSourceService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administration of the DICOM sources, for admin keys: list, create, edit, disable and enable, delete, and a test of
 * the connection (a C-ECHO by the source's workers). Changes go through the admin API's {@link DicomSourceService}
 * after the API's own validation of a {@link DicomSourceRequest}, and are audited as the API audits them, the
 * signed-in key as actor. DICOMweb sources are shown but changed through the admin API only.
 */
@Controller
class ConsoleSourcesController {

    /** Sources shown on the one page (the admin API pages through more). */
    static final int MAX_SOURCES = 500;

    private static final Logger log = LoggerFactory.getLogger(ConsoleSourcesController.class);

    private final DicomSourceService sources;
    private final SourceHealthService health;
    private final Validator validator;
    private final ConsoleProperties properties;
    private final Clock clock;

    ConsoleSourcesController(
            DicomSourceService sources,
            SourceHealthService health,
            Validator validator,
            ConsoleProperties properties,
            Clock clock) {
        this.sources = sources;
        this.health = health;
        this.validator = validator;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/ui/admin/sources")
    String list(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        model.addAttribute("sources", sources.list(null, null, PageRequest.of(0, MAX_SOURCES, Sort.by("name"))));
        return "console/sources";
    }

    @GetMapping("/ui/admin/sources/new")
    String newSource(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        return form(model, null, SourceForm.empty(), Map.of());
    }

    @PostMapping("/ui/admin/sources")
    String create(
            @ModelAttribute SourceForm form,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        return save(null, form, body -> sources.create(body, actor(request)), "created", response, model, redirect);
    }

    @GetMapping("/ui/admin/sources/{id}/edit")
    String edit(@PathVariable long id, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        DicomSourceResponse source = dimse(id);
        return form(model, source, SourceForm.of(source), Map.of());
    }

    @PostMapping("/ui/admin/sources/{id}")
    String replace(
            @PathVariable long id,
            @ModelAttribute SourceForm form,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        DicomSourceResponse source = dimse(id);
        return save(
                source, form, body -> sources.replace(id, body, actor(request)), "saved", response, model, redirect);
    }

    /**
     * Checks the form and, if it holds, stores it with {@code store} and goes back to the list saying it was
     * {@code done}; else the form again, with its problems and status 400.
     *
     * @param source the source edited; null for a new one
     */
    private String save(
            DicomSourceResponse source,
            SourceForm form,
            Function<DicomSourceRequest, DicomSourceResponse> store,
            String done,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        Map<String, String> problems = new LinkedHashMap<>();
        DicomSourceRequest body = validated(form, problems);
        if (problems.isEmpty()) {
            try {
                DicomSourceResponse saved = store.apply(body);
                redirect.addFlashAttribute("notice", "Source " + saved.name() + " " + done + ".");
                return "redirect:/ui/admin/sources";
            } catch (ConflictException e) {
                problems.put("name", e.getMessage());
            } catch (InvalidRequestException e) {
                addAll(problems, e);
            }
        }
        response.setStatus(400);
        return form(model, source, form, problems);
    }

    /** Disables ({@code enabled=false}) or enables the source: its workers let it go or take it up. */
    @PostMapping("/ui/admin/sources/{id}/enabled")
    String enable(
            @PathVariable long id,
            @RequestParam boolean enabled,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        DicomSourceResponse source = dimse(id);
        Map<String, String> problems = new LinkedHashMap<>();
        DicomSourceRequest body = validated(SourceForm.of(source).withEnabled(enabled), problems);
        if (!problems.isEmpty()) {
            // a source stored before a rule was tightened: the form says what to fix
            response.setStatus(400);
            return form(model, source, SourceForm.of(source), problems);
        }
        DicomSourceResponse saved = sources.replace(id, body, actor(request));
        redirect.addFlashAttribute("notice", "Source " + saved.name() + (saved.enabled() ? " enabled." : " disabled."));
        return "redirect:/ui/admin/sources";
    }

    @GetMapping("/ui/admin/sources/{id}/delete")
    String confirmDelete(@PathVariable long id, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        model.addAttribute("source", sources.get(id));
        return "console/source-delete";
    }

    /**
     * Deletes the source; while spanner configs map it, says so and deletes nothing, unless {@code cascade} removes
     * those mappings too (as {@code DELETE /api/v1/sources/{id}?cascade=true}).
     */
    @PostMapping("/ui/admin/sources/{id}/delete")
    String delete(
            @PathVariable long id,
            @RequestParam(defaultValue = "false") boolean cascade,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        DicomSourceResponse source = sources.get(id);
        try {
            sources.delete(id, cascade, actor(request));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("source", source);
            model.addAttribute("problem", e.getMessage());
            return "console/source-delete";
        }
        redirect.addFlashAttribute("notice", "Source " + source.name() + " deleted.");
        return "redirect:/ui/admin/sources";
    }

    /**
     * Asks the source's workers for a C-ECHO now (as {@code POST /api/v1/sources/{id}/health/echo} does) and answers
     * with a fragment that waits for its outcome.
     */
    @PostMapping("/ui/admin/sources/{id}/echo")
    String echo(@PathVariable long id, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        model.addAttribute("sourceId", id);
        try {
            EchoRequest echo = health.requestEcho(
                    id, "api-key:" + ConsoleSessions.signedIn(request).keyId());
            model.addAttribute("since", echo.requestedEpochMillis());
            model.addAttribute("pollMillis", properties.statusPollInterval().toMillis());
            return "console/echo :: pending";
        } catch (ServiceProblemException e) {
            log.warn("Console echo of source {} not sent: {}", id, e.getMessage());
            model.addAttribute("failure", e.getMessage());
            return "console/echo :: failed";
        }
    }

    /** The outcome of the echo asked for at {@code since} (epoch ms), once a check started since then is recorded. */
    @GetMapping("/ui/admin/sources/{id}/echo")
    String echoOutcome(
            @PathVariable long id,
            @RequestParam long since,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (!admin(request, response, model)) {
            return "console/forbidden";
        }
        model.addAttribute("sourceId", id);
        SourceHealth recorded = health.recorded(id)
                .filter(h -> h.startedAt() != null && h.startedAt().toEpochMilli() >= since)
                .orElse(null);
        if (recorded == null) {
            if (clock.instant().toEpochMilli() - since > properties.echoWait().toMillis()) {
                model.addAttribute(
                        "failure",
                        "No outcome from the source's workers within "
                                + properties.echoWait().toSeconds() + " s");
                return "console/echo :: failed";
            }
            model.addAttribute("since", since);
            model.addAttribute("pollMillis", properties.statusPollInterval().toMillis());
            return "console/echo :: pending";
        }
        if (recorded.state() == SourceHealth.State.UP) {
            model.addAttribute("latencyMillis", recorded.latencyMillis());
            return "console/echo :: succeeded";
        }
        model.addAttribute("failure", recorded.error());
        return "console/echo :: failed";
    }

    /** A source that is not there (deleted meanwhile, or a DICOMweb source's form): a page saying so. */
    @ExceptionHandler(NotFoundException.class)
    String notFound(NotFoundException e, HttpServletResponse response, Model model) {
        response.setStatus(404);
        model.addAttribute("problem", e.getMessage());
        return "console/not-found";
    }

    /** The page for admin keys; for others a 403 page (and false). */
    static boolean admin(HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        if (!user.isAdmin()) {
            response.setStatus(403);
            return false;
        }
        ConsoleController.page(request, model, user);
        return true;
    }

    private DicomSourceResponse dimse(long id) {
        DicomSourceResponse source = sources.get(id);
        if (source.protocol() != null) {
            throw new NotFoundException("DICOM source " + id + " is a DICOMweb source: the admin API changes it");
        }
        return source;
    }

    /** The form as the API's request, with what the API's validation finds wrong added to {@code problems}. */
    private DicomSourceRequest validated(SourceForm form, Map<String, String> problems) {
        DicomSourceRequest body = form.toRequest(problems);
        for (ConstraintViolation<DicomSourceRequest> violation : validator.validate(body)) {
            problems.putIfAbsent(formField(violation.getPropertyPath()), violation.getMessage());
        }
        return body;
    }

    private static void addAll(Map<String, String> problems, InvalidRequestException e) {
        for (FieldProblem problem : e.problems()) {
            problems.putIfAbsent(formField(problem.field()), problem.message());
        }
    }

    /** The form field of a violation: its first property ({@code tags[0].<list element>} is the field tags). */
    private static String formField(Path path) {
        Iterator<Path.Node> nodes = path.iterator();
        String name = nodes.hasNext() ? nodes.next().getName() : null;
        return name == null ? "form" : formField(name);
    }

    /** A form field by the API's name of it: the JSON names are snake_case, the form's camelCase. */
    private static String formField(String field) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    private String form(Model model, DicomSourceResponse source, SourceForm form, Map<String, String> problems) {
        model.addAttribute("source", source);
        model.addAttribute("form", form);
        model.addAttribute("errors", problems);
        model.addAttribute("fields", SourceForm.TEXT_FIELDS);
        return "console/source-form";
    }

    private static Actor actor(HttpServletRequest request) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        return Actor.apiKey(user.keyId(), user.keyName(), request.getRemoteAddr());
    }
}
