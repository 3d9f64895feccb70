package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.apikey.ApiKeyResponse;
import io.dicomspanner.gateway.apikey.ApiKeyService;
import io.dicomspanner.gateway.apikey.CreatedApiKeyResponse;
import io.dicomspanner.gateway.config.SpannerConfigResponse;
import io.dicomspanner.gateway.config.SpannerConfigService;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * API keys, for admin keys: the keys (never a secret), a new key (its secret shown once, in the answer to the POST that
 * made it, and kept nowhere), revocation. Through {@link ApiKeyService}, as the admin API does it: same checks, same
 * audit; a revoked key's console sessions end at their next request ({@link ConsoleKeyCheck}).
 */
@Controller
class ConsoleKeysController {

    private final ApiKeyService keys;
    private final SpannerConfigService configs;
    private final ConsoleAdminForms forms;

    ConsoleKeysController(ApiKeyService keys, SpannerConfigService configs, ConsoleAdminForms forms) {
        this.keys = keys;
        this.configs = configs;
        this.forms = forms;
    }

    @GetMapping("/ui/admin/keys")
    String list(
            @RequestParam(name = "revoked", required = false) Long revoked,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return ConsoleConfigsAdminController.forbidden(response);
        }
        model.addAttribute("revokedId", revoked);
        return page(request, model, admin.get(), null, Map.of(), Map.of(), List.of());
    }

    @PostMapping("/ui/admin/keys")
    String create(
            @RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "scope", required = false) String scope,
            @RequestParam(name = "allowedConfigIds", required = false) List<String> allowedConfigIds,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return ConsoleConfigsAdminController.forbidden(response);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        List<Long> configIds = new ArrayList<>();
        for (String id : allowedConfigIds == null ? List.<String>of() : allowedConfigIds) {
            Integer parsed = ConsoleAdminForms.number("allowedConfigIds", id, problems);
            if (parsed != null) {
                configIds.add(parsed.longValue());
            }
        }
        ApiKeyRequest key = new ApiKeyRequest(
                name,
                scope == null || scope.isBlank() ? List.of() : List.of(scope.strip()),
                configIds.isEmpty() ? null : configIds,
                null,
                null);
        problems.putAll(forms.violations(key));
        Map<String, String> typed = Map.of("name", name == null ? "" : name, "scope", scope == null ? "" : scope);
        if (problems.isEmpty()) {
            try {
                CreatedApiKeyResponse created = keys.create(key, ConsoleAdminForms.actor(admin.get(), request));
                return page(request, model, admin.get(), created, Map.of(), Map.of(), List.of());
            } catch (InvalidRequestException e) {
                problems.putAll(ConsoleAdminForms.problems(e));
            } catch (ConflictException e) {
                problems.put("name", e.getMessage());
            }
        }
        response.setStatus(400);
        return page(request, model, admin.get(), null, problems, typed, configIds);
    }

    @PostMapping("/ui/admin/keys/{id}/revoke")
    String revoke(@PathVariable long id, HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return ConsoleConfigsAdminController.forbidden(response);
        }
        try {
            keys.revoke(id, ConsoleAdminForms.actor(admin.get(), request));
        } catch (ConflictException e) {
            response.setStatus(409);
            return page(request, model, admin.get(), null, Map.of("revoke", e.getMessage()), Map.of(), List.of());
        }
        return "redirect:/ui/admin/keys?revoked=" + id;
    }

    private String page(
            HttpServletRequest request,
            Model model,
            ConsoleUser admin,
            CreatedApiKeyResponse created,
            Map<String, String> problems,
            Map<String, String> typed,
            List<Long> checkedConfigs) {
        ConsoleController.page(request, model, admin);
        Page<ApiKeyResponse> list = keys.list(
                PageRequest.of(0, ConsoleConfigsAdminController.MAX_ROWS, Sort.by(Sort.Direction.DESC, "id")));
        Page<SpannerConfigResponse> configList =
                configs.list(PageRequest.of(0, ConsoleConfigsAdminController.MAX_ROWS, Sort.by("name", "id")));
        Map<Long, String> configNames = new HashMap<>();
        configList.forEach(c -> configNames.put(c.id(), c.name()));
        // per key, the configs it may search by name ("all" when it is not limited)
        Map<Long, String> searchable = new HashMap<>();
        list.forEach(k -> searchable.put(
                k.id(),
                k.allowedConfigIds().isEmpty()
                        ? "all"
                        : k.allowedConfigIds().stream()
                                .map(id -> configNames.getOrDefault(id, "config " + id))
                                .collect(Collectors.joining(", "))));
        model.addAttribute("keys", list);
        model.addAttribute("searchable", searchable);
        model.addAttribute("configs", configList);
        model.addAttribute("created", created);
        model.addAttribute("problems", problems);
        model.addAttribute("typed", new HashMap<>(typed));
        model.addAttribute("checkedConfigs", checkedConfigs);
        return "console/admin-keys";
    }
}
