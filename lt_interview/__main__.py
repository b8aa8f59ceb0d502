from lt_interview.cli import main

raise SystemExit(main())
