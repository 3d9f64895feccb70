package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.source.DicomSourceService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Administration, for admin keys only: the registered DICOM sources, read-only. */
@Controller
class ConsoleAdminController {

    /** Sources shown on the one page (the admin API pages through more). */
    static final int MAX_SOURCES = 500;

    private final DicomSourceService sources;

    ConsoleAdminController(DicomSourceService sources) {
        this.sources = sources;
    }

    @GetMapping("/ui/admin/sources")
    String sources(HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        if (!user.isAdmin()) {
            response.setStatus(403);
            return "console/forbidden";
        }
        ConsoleController.page(request, model, user);
        model.addAttribute("sources", sources.list(null, null, PageRequest.of(0, MAX_SOURCES, Sort.by("name"))));
        return "console/sources";
    }
}
