; Windows installer of the POS After-Sales Workstation (NSIS 3).
;
; Build the one-folder program first (python bundle\build.py), then `makensis bundle\aftersales.nsi`
; writes dist\aftersales-<version>-setup.exe (bundle/build.py --installer does both). Paths are
; relative to this script's folder; /DDIST=<folder> and /DOUTFILE=<file> choose others, and
; /DNOCOMPRESS makes a quick, uncompressed test build.
;
; The installer puts the program under Program Files with Start menu and desktop shortcuts. The
; uninstaller removes only what the installer put there: the database, backups, attachments and
; logs (in %LOCALAPPDATA%\aftersales, or in data\ beside the program in portable mode) stay.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  ; The program's own version, read from app/__init__.py.
  !searchparse /file "..\app\__init__.py" '__version__ = "' VERSION '"'
!endif
!ifndef DIST
  !define DIST "..\dist\aftersales"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\aftersales-${VERSION}-setup.exe"
!endif

!define PRODUCT "POS 售后服务工作站"
!define PRODUCT_EN "POS After-Sales Workstation"
!define EXE "aftersales.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\aftersales"
!define ICON "..\resources\icons\app.ico"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT_EN}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show
!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

; Version information (the installer's Properties › Details).
VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "aftersales"
VIAddVersionKey /LANG=2052 "LegalCopyright" "aftersales"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT_EN}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT_EN} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "aftersales"
VIAddVersionKey /LANG=1033 "LegalCopyright" "aftersales"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString DataKept ${LANG_SIMPCHINESE} "数据库、备份、附件和日志保留在 %LOCALAPPDATA%\aftersales。"
LangString DataKept ${LANG_ENGLISH} "The database, backups, attachments and logs stay in %LOCALAPPDATA%\aftersales."
LangString UninstallLink ${LANG_SIMPCHINESE} "卸载 ${PRODUCT}"
LangString UninstallLink ${LANG_ENGLISH} "Uninstall ${PRODUCT_EN}"

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Install"
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\$(UninstallLink).lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "aftersales"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$DESKTOP\${PRODUCT}.lnk"
  RMDir /r "$SMPROGRAMS\${PRODUCT}"
  ; Only what the installer put here; a portable data\ folder beside it stays, and so does the
  ; folder then.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\aftersales.exe"
  Delete "$INSTDIR\aftersales-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DetailPrint "$(DataKept)"
SectionEnd
