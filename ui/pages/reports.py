"""The Reports page: the printed review of a period and the client dossier (call brief and
file) as PDF.

The PDF is written off the GUI thread through the shell's runner with a progress bar, then
opened in the system's PDF viewer. A thumbnail beside each form shows the first page as it will
print. The PDF is in the app's language unless the user picks the other one: a German user may
print an English review for a coach abroad.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock
from freelancer_desk.analytics.periods import (
    Period,
    calendar_year,
    quarter,
    resolve,
    rolling_12_months,
)
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _, current_language
from freelancer_desk.reports.document import Language
from freelancer_desk.reports.dossier import build_dossier
from freelancer_desk.reports.preview import PageDrawing, dossier_preview, review_preview
from freelancer_desk.reports.review import (
    ReviewRequest,
    available_sections,
    build_review,
    default_sections,
    review_title,
)
from freelancer_desk.services import clients as client_service
from ui.context import AppContext
from ui.dialogs.feedback import language_box
from ui.runner import Loader, TaskControl
from ui.widgets import DateField, lasting_window, notify, select_data, show_error, show_modal

FOLDER_KEY = "reports/folder"
PERIOD_KINDS = ("year", "quarter", "rolling")
#: Width of a first-page thumbnail in pixels (A4 height follows), and the wait after a change
#: of the form before it is drawn again.
THUMBNAIL_WIDTH = 170
PREVIEW_DELAY_MS = 400


class Thumbnail(QLabel):
    """A report's first page, small, as it will print (drawn in the background)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("thumbnail")
        self.setFixedSize(THUMBNAIL_WIDTH + 2, round(THUMBNAIL_WIDTH * 297 / 210) + 2)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("#thumbnail { border: 1px solid #bbb; background: white; color: #777; }")
        self.setToolTip(_("The first page as it will print"))
        self.setText(_("Preview …"))

    def show_page(self, page: PageDrawing) -> None:
        """Paint the page: its filled areas and lines, then its texts, scaled to the label."""
        scale = THUMBNAIL_WIDTH / page.width
        pixmap = QPixmap(THUMBNAIL_WIDTH, round(page.height * scale))
        pixmap.fill(QColor("white"))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        def at(x: float, y: float) -> QPointF:
            return QPointF(x * scale, (page.height - y) * scale)

        for shape in page.shapes:
            path = QPainterPath()
            for part in shape.parts:
                path.moveTo(at(*part[0]))
                for point in part[1:]:
                    path.lineTo(at(*point))
            if shape.fill is not None:
                painter.fillPath(path, QColor.fromRgbF(*shape.fill))
            if shape.stroke is not None:
                painter.strokePath(path, QPen(QColor.fromRgbF(*shape.stroke), shape.width * scale))
        painter.setPen(QColor("#222222"))
        for run in page.texts:
            font = QFont("DejaVu Sans")
            font.setPixelSize(max(1, round(run.size * scale)))
            font.setBold(run.bold)
            painter.setFont(font)
            painter.drawText(at(run.x, run.y), run.text)
        painter.end()
        self.setPixmap(pixmap)

    def show_note(self, text: str) -> None:
        self.setPixmap(QPixmap())
        self.setText(text)


def file_name(title: str) -> str:
    """A file name from a document title: characters that no file system takes become " - "."""
    return re.sub(r'\s*[\\/:*?"<>|]+\s*', " - ", title).strip(" .-") + ".pdf"


def ask_pdf_path(parent: QWidget, context: AppContext, title: str, suggested: str) -> Path | None:
    """Where to save a PDF; starts in the folder used last, else in the user's documents (or
    home, where there is no documents folder; Qt would start in the program's folder). None
    when the user cancels."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = next(
        (
            candidate
            for candidate in (context.preferences.value(FOLDER_KEY), documents)
            if candidate and Path(candidate).is_dir()
        ),
        str(Path.home()),
    )
    dialog = QFileDialog(parent, title, str(Path(folder) / suggested), _("PDF documents (*.pdf)"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    if not show_modal(dialog) or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    context.preferences.set_value(FOLDER_KEY, str(path.parent))
    return path


def open_pdf(path: Path) -> bool:
    """Show the PDF in the system's viewer; False when none could be opened."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def saved_message(path: Path, opened: bool) -> str:
    """Where the PDF now lies, and, when no viewer showed it, that the user opens it there."""
    if opened:
        return _("Saved as {path}").format(path=path)
    return _("Saved as {path}. No PDF viewer could be opened; open the file from there.").format(
        path=path
    )


def write_in_background(
    parent: QWidget,
    context: AppContext,
    work: Callable[[TaskControl], Path],
    on_progress: Callable[[int, int], None] | None = None,
    on_finished: Callable[[str | None], None] | None = None,
) -> None:
    """Run ``work`` on the runner; open the PDF it wrote and say where it lies (to
    ``on_finished``, else in the status bar), or show why it failed (in the window that
    outlives ``parent``: a client's page may be left before the PDF is written)."""
    owner = lasting_window(parent)

    def done(path: Path) -> None:
        message = saved_message(path, open_pdf(path))
        if on_finished:
            on_finished(message)
        else:
            notify(owner, message)

    def failed(error: Exception) -> None:
        if on_finished:
            on_finished(None)
        show_error(owner, error, _("The PDF could not be written"))

    context.runner.submit(work, done, failed, on_progress)


def export_dossier(
    parent: QWidget, client_id: int, context: AppContext | None = None, lang: str | None = None
) -> None:
    """Ask where to save a client's dossier, write it in the background, open it and say
    where it lies in the status bar.

    Also the handler of the "Dossier" button on a client's page (``registry.CLIENT_ACTIONS``).
    """
    context = context or parent.context  # type: ignore[attr-defined]  # the client page calling
    lang = lang or current_language()
    name = client_service.get_client(context.db, client_id).name
    words = Language(lang)
    suggested = file_name(words.gettext("Client dossier: {name}").format(name=name))
    path = ask_pdf_path(parent, context, _("Save the client dossier"), suggested)
    if path is not None:
        db = context.db
        write_in_background(
            parent,
            context,
            lambda _control: build_dossier(db, client_id, path, lang, clock.today()),
        )


def wrapped(text: str) -> QLabel:
    """An explanation that wraps to the width of the page instead of widening it."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def default_year(today: dt.date) -> int:
    """Early in a year people review the one that just ended; later, the running one."""
    return today.year - 1 if today.month <= 3 else today.year


def last_complete_quarter(today: dt.date) -> tuple[int, int]:
    """(year, quarter) of the quarter before the one ``today`` lies in."""
    number = (today.month - 1) // 3
    return (today.year - 1, 4) if number == 0 else (today.year, number)


class ReportsPage(QWidget):
    """Choose a period, a language and the sections; export the review; export a dossier."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        today = clock.today()

        self.kind = QComboBox()
        for key, text in zip(
            PERIOD_KINDS, (_("Calendar year"), _("Quarter"), _("12 months ending on")), strict=True
        ):
            self.kind.addItem(text, key)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(default_year(today))
        q_year, q_number = last_complete_quarter(today)
        self.quarter_year = QSpinBox()
        self.quarter_year.setRange(1990, 2100)
        self.quarter_year.setValue(q_year)
        self.quarter = QComboBox()
        for number in range(1, 5):
            self.quarter.addItem(f"Q{number}", number)
        select_data(self.quarter, q_number)
        self.as_of = DateField()
        self.as_of.set_date(today)
        self.review_language = language_box()  # the app's language first
        self.sections: dict[str, QCheckBox] = {}
        section_column = QVBoxLayout()  # one column: long German titles fit a narrow window
        section_column.setSpacing(2)
        printed = default_sections()  # full lists only when asked for
        for key, title in available_sections():
            box = QCheckBox(_(title))
            box.setChecked(key in printed)
            self.sections[key] = box
            section_column.addWidget(box)
        self.export_button = QPushButton(_("&Export review as PDF…"))
        self.export_button.clicked.connect(self.export_review)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.period_rows: dict[str, QWidget] = {
            "year": self.year,
            "quarter": self._row(self.quarter, self.quarter_year),
            "rolling": self.as_of,
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("&Period:"), self.kind)
        self.period_label = QLabel()
        period_stack = QWidget()
        period_layout = QHBoxLayout(period_stack)
        period_layout.setContentsMargins(0, 0, 0, 0)
        for widget in self.period_rows.values():
            period_layout.addWidget(widget)
        period_layout.addStretch(1)
        form.addRow(self.period_label, period_stack)
        form.addRow(_("Language of the PDF:"), self.review_language)
        form.addRow(_("Sections:"), section_column)
        self.kind.currentIndexChanged.connect(self._show_period_fields)
        self._show_period_fields()

        review = QGroupBox(_("Review of a year, a quarter or 12 months"))
        review_layout = QVBoxLayout(review)
        review_layout.addWidget(
            wrapped(
                _(
                    "A printable A4 review to think about, to file, or to "
                    "take to your tax adviser or coach."
                )
            )
        )
        self.review_preview = Thumbnail()
        beside = QHBoxLayout()
        beside.addLayout(form, 1)
        beside.addWidget(self.review_preview, 0, Qt.AlignmentFlag.AlignTop)
        review_layout.addLayout(beside)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.progress, 4)
        buttons.addStretch(1)
        review_layout.addLayout(buttons)
        review_layout.addWidget(self.message)

        self.client = QComboBox()
        self.client.setMinimumContentsLength(28)
        # As wide as 28 characters: not measured over every client's name.
        self.client.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.dossier_language = language_box()
        self.dossier_button = QPushButton(_("Export &dossier as PDF…"))
        self.dossier_button.clicked.connect(self.export_selected_dossier)
        self.dossier_button.setEnabled(False)  # until the clients are read
        dossier = QGroupBox(_("Client dossier"))
        dossier_form = QFormLayout()
        dossier_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        dossier_form.addRow(_("Clie&nt:"), self.client)
        dossier_form.addRow(_("Language of the PDF:"), self.dossier_language)
        dossier_form.addRow("", self.dossier_button)
        self.dossier_preview = Thumbnail()
        dossier_beside = QHBoxLayout()
        dossier_beside.addLayout(dossier_form, 1)
        dossier_beside.addWidget(self.dossier_preview, 0, Qt.AlignmentFlag.AlignTop)
        dossier_layout = QVBoxLayout(dossier)
        dossier_layout.addWidget(
            wrapped(
                _(
                    "One page to prepare a call: contact data and "
                    "permissions, revenue, last contacts, complaints, why "
                    "they left."
                )
            )
        )
        dossier_layout.addLayout(dossier_beside)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(review)
        content_layout.addWidget(dossier)
        content_layout.addStretch(1)
        area = QScrollArea()  # a small window scrolls instead of squeezing the form
        area.setWidget(content)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(area)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.draw_previews)
        for signal in (
            self.kind.currentIndexChanged,
            self.year.valueChanged,
            self.quarter.currentIndexChanged,
            self.quarter_year.valueChanged,
            self.as_of.changed,
            self.review_language.currentIndexChanged,
            self.client.currentIndexChanged,
            self.dossier_language.currentIndexChanged,
            *(box.toggled for box in self.sections.values()),
        ):
            signal.connect(lambda *_args: self._preview_timer.start())
        self.names: Loader[list[tuple[int, str]]] = Loader(self, context.runner, self._show_clients)
        self.refresh()

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        return row

    def _show_period_fields(self) -> None:
        kind = self.kind.currentData()
        for key, widget in self.period_rows.items():
            widget.setVisible(key == kind)
        self.period_label.setText(
            {"year": _("&Year:"), "quarter": _("&Quarter:"), "rolling": _("&Last day:")}[kind]
        )
        self.period_label.setBuddy(self.period_rows[kind])

    def refresh(self) -> None:
        """Reload the client list in the background (reading and sorting thousands of names
        kept the window busy), keeping the chosen client."""
        db = self.context.db
        self.names.load(lambda: client_service.client_names(db))

    def _show_clients(self, names: list[tuple[int, str]]) -> None:
        chosen = self.client.currentData()
        self.client.clear()
        for client_id, name in names:
            self.client.addItem(name, client_id)
        select_data(self.client, chosen)
        self.dossier_button.setEnabled(self.client.count() > 0)
        self._preview_timer.start()

    def draw_previews(self) -> None:
        """Draw both first pages again in the background (after the form changed)."""
        db = self.context.db
        try:
            request = self.review_request()
        except InputError as error:
            self.review_preview.show_note(error.message)
        else:
            self.context.runner.submit(
                lambda _control: review_preview(db, request),
                self.review_preview.show_page,
                lambda _error: self.review_preview.show_note(_("No preview")),
            )
        client_id = self.client.currentData()
        if client_id is None:
            self.dossier_preview.show_note(_("No client yet"))
            return
        lang = self.dossier_language.currentData()
        self.context.runner.submit(
            lambda _control: dossier_preview(db, client_id, lang, clock.today()),
            self.dossier_preview.show_page,
            lambda _error: self.dossier_preview.show_note(_("No preview")),
        )

    def period(self) -> tuple[Period, dt.date | None]:
        """The chosen period and the day the review looks from (None: today, or the last day of
        a period that is over); InputError for a bad date."""
        kind = self.kind.currentData()
        if kind == "year":
            return calendar_year(self.year.value()), None
        if kind == "quarter":
            return quarter(self.quarter_year.value(), self.quarter.currentData()), None
        try:
            day = self.as_of.date()
        except ValueError:
            day = None
        if day is None:
            raise InputError("as_of", _("enter the last day of the 12 months"), label=_("Last day"))
        resolve(None, day, clock.today())  # a day after today is refused, with the reason
        return rolling_12_months(day), day

    def review_request(self) -> ReviewRequest:
        """What the form asks for; InputError when no section is chosen or the date is bad."""
        period, as_of = self.period()
        sections = frozenset(key for key, box in self.sections.items() if box.isChecked())
        if not sections:
            raise InputError("sections", _("choose at least one section"), label=_("Sections"))
        return ReviewRequest(period, as_of, self.review_language.currentData(), sections)

    def export_review(self) -> None:
        """Ask where to save, then write the review in the background and open it."""
        try:
            request = self.review_request()
        except InputError as error:
            show_error(self, error)
            return
        title = review_title(request.period, Language(request.lang))
        path = ask_pdf_path(self, self.context, _("Save the review"), file_name(title))
        if path is None:
            return
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText(_("Writing the review…"))
        db = self.context.db
        write_in_background(
            self,
            self.context,
            lambda control: build_review(db, request, path, control.progress),
            self._progressed,
            self._finished,
        )

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finished(self, message: str | None) -> None:
        self.export_button.setEnabled(True)
        self.progress.hide()
        self.message.setText(message or "")

    def export_selected_dossier(self) -> None:
        client_id = self.client.currentData()
        if client_id is not None:
            export_dossier(self, client_id, self.context, self.dossier_language.currentData())
