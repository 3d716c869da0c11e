// The tests drive real syncthing processes, PID files and modes of Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
