@echo off
rem dm-cli launcher: runs from any directory. JAVA_HOME or java on the PATH (Java 17 or newer);
rem JAVA_OPTS is passed to the JVM.
setlocal
set "DM_CLI_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA_EXE=%JAVA_HOME%\bin\java.exe") else (set "JAVA_EXE=java")
"%JAVA_EXE%" %JAVA_OPTS% -cp "%DM_CLI_HOME%\lib\*" dev.iotdm.cli.DmCli %*
exit /b %ERRORLEVEL%
