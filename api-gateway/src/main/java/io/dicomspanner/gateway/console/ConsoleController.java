package io.dicomspanner.gateway.console;

import io.dicomspanner.common.outbox.OutboxFullException;
import io.dicomspanner.gateway.apikey.ApiKeyService;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.TransactionException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Sign-in, sign-out and the search page. A user signs in by pasting an API key once: it is verified like any
 * presented key and becomes a server-side session holding the key's id, name, scopes and limits (never the key).
 */
@Controller
class ConsoleController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleController.class);

    private final ApiKeyService keys;
    private final ConsoleAudit audit;
    private final ConsoleConfigs configs;
    private final ConsoleProperties properties;

    ConsoleController(ApiKeyService keys, ConsoleAudit audit, ConsoleConfigs configs, ConsoleProperties properties) {
        this.keys = keys;
        this.audit = audit;
        this.configs = configs;
        this.properties = properties;
    }

    @GetMapping({"/ui", "/ui/"})
    String search(HttpServletRequest request, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        page(request, model, user);
        model.addAttribute("configs", configs.usableBy(user));
        model.addAttribute("form", SearchForm.empty());
        return "console/search";
    }

    @GetMapping(ConsoleSecurityFilter.SIGN_IN)
    String signInPage(
            @RequestParam(name = "ended", required = false) String ended,
            @RequestParam(name = "revoked", required = false) String revoked,
            HttpServletRequest request,
            Model model) {
        if (ConsoleSessions.user(request).isPresent()) {
            return "redirect:/ui/";
        }
        model.addAttribute("csrf", ConsoleSessions.csrfToken(request, properties.sessionIdleSeconds()));
        model.addAttribute("ended", ended != null);
        model.addAttribute("revoked", revoked != null);
        return "console/sign-in";
    }

    @PostMapping(ConsoleSecurityFilter.SIGN_IN)
    String signIn(
            @RequestParam(name = "apiKey", required = false) String apiKey,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String address = request.getRemoteAddr();
        model.addAttribute("csrf", ConsoleSessions.csrfToken(request, properties.sessionIdleSeconds()));
        model.addAttribute("ended", false);
        model.addAttribute("revoked", false);
        Optional<AuthenticatedKey> key;
        try {
            audit.checkAdmission();
            key = apiKey == null || apiKey.isBlank() ? Optional.empty() : keys.authenticate(apiKey.strip());
        } catch (OutboxFullException e) {
            log.error("Console sign-in from {} refused: {}", address, e.getMessage());
            return problem(response, model, 503, "The audit trail cannot record a sign-in now; try again later.");
        } catch (DataAccessException | TransactionException e) {
            log.warn(
                    "Console sign-in from {} not verified: database unavailable ({})",
                    address,
                    e.getClass().getSimpleName());
            return problem(response, model, 503, "The API key database is unavailable; try again later.");
        }
        if (key.isEmpty()) {
            String reason = apiKey == null || apiKey.isBlank() ? "no API key" : "unknown or revoked API key";
            log.warn("Console sign-in from {} refused: {}", address, reason);
            audit.signInRefused(address, reason);
            return problem(response, model, 401, "That API key is unknown or revoked.");
        }
        ConsoleUser user = ConsoleUser.of(key.get());
        audit.signedIn(user, address);
        ConsoleSessions.signIn(request, user, properties.sessionIdleSeconds());
        log.info("Console sign-in of API key {} from {}", user.keyId(), address);
        return "redirect:/ui/";
    }

    @PostMapping("/ui/sign-out")
    String signOut(HttpServletRequest request) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        audit.signedOut(user, request.getRemoteAddr());
        ConsoleSessions.signOut(request);
        return "redirect:" + ConsoleSecurityFilter.SIGN_IN;
    }

    private static String problem(HttpServletResponse response, Model model, int status, String message) {
        response.setStatus(status);
        model.addAttribute("error", message);
        return "console/sign-in";
    }

    /** What every signed-in page shows: who is signed in, the CSRF token, the polling interval. */
    static void page(HttpServletRequest request, Model model, ConsoleUser user) {
        model.addAttribute("user", user);
        model.addAttribute(
                "csrfHeader",
                "{\"" + ConsoleSessions.CSRF_HEADER + "\": \"" + ConsoleSessions.csrfToken(request) + "\"}");
        model.addAttribute("csrf", ConsoleSessions.csrfToken(request));
    }
}
